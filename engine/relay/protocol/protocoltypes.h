#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Pitwall {

// Sub-types shared by several relay messages (research §1.5, §1.8). Integers are i64 on the wire.

// One chip read as forwarded. raw_frame is the reader's exact bytes (an array of 0..255 on the
// wire); read_type is kept verbatim ("RAW"/"FSLS" from the schema, "raw"/"fsls" from the real
// forwarder).
struct ReadEvent
{
    QString forwarderId;
    QString readerIp;
    qint64 streamEpoch = 1;
    qint64 seq = 1;
    QString readerTimestamp;
    QByteArray rawFrame;
    QString readType;

    friend bool operator==(const ReadEvent &, const ReadEvent &) = default;
};

// "Everything of (stream, epoch) up to last_seq is durable / processed".
struct AckEntry
{
    QString forwarderId;
    QString readerIp;
    qint64 streamEpoch = 1;
    qint64 lastSeq = 0;

    friend bool operator==(const AckEntry &, const AckEntry &) = default;
};

// A receiver's resume position: same shape as an ack entry.
using ResumeCursor = AckEntry;

struct StreamRef
{
    QString forwarderId;
    QString readerIp;

    friend bool operator==(const StreamRef &, const StreamRef &) = default;
};

struct EarliestEpochOverride
{
    QString forwarderId;
    QString readerIp;
    qint64 earliestEpoch = 1;

    friend bool operator==(const EarliestEpochOverride &, const EarliestEpochOverride &) = default;
};

struct ReplayTarget
{
    QString forwarderId;
    QString readerIp;
    qint64 streamEpoch = 1;
    qint64 fromSeq = 1; // optional on the wire, default 1

    friend bool operator==(const ReplayTarget &, const ReplayTarget &) = default;
};

} // namespace Pitwall
