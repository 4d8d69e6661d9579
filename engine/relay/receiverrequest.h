#pragma once

#include "relay/protocol/protocoltypes.h"
#include "relay/replaycursor.h"
#include "relay/storeerror.h"
#include "relay/streaminfo.h"

#include <QList>
#include <QStringList>

namespace Pitwall {

struct RelayContext;

// The streams a receiver's hello (or a legacy receiver_subscribe) asks for, and where each
// one's replay starts. resolve() reads the store, so it runs on a storage worker.
struct ReceiverRequest
{
    QList<StreamRef> streams;
    QList<EarliestEpochOverride> earliestEpochs;
    QList<ResumeCursor> resume;
    QList<ReplayTarget> targets; // targeted_replay

    struct Resolved
    {
        struct Stream
        {
            StreamInfo info;
            ReplayCursor cursor;
        };
        QList<Stream> streams;
        QStringList warnings; // "stream not found for <fwd>:<ip>", as the reference words them
        StoreError error;
    };

    // Live and legacy streams start from the receiver's per-epoch cursors (else the earliest-
    // epoch override, else the current epoch), raised by resume cursors that are not beyond
    // what is stored; targeted replays cover one epoch from from_seq up to what is stored now.
    // Duplicates count once; unknown streams become warnings.
    Resolved resolve(const RelayContext &context, const QString &receiverId) const;

    // The key of a (forwarder, reader) pair in lookups.
    static QString refKey(const QString &forwarderId, const QString &readerIp);
};

} // namespace Pitwall
