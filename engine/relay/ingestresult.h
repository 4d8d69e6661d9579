#pragma once

#include "relay/eventkey.h"

#include <QList>

namespace Pitwall {

// Outcome of one committed batch. acks holds one entry per epoch of the batch with the highest
// seq of that epoch, whatever happened to the events (forwarder_ack semantics: "durable").
struct IngestResult
{
    int inserted = 0;
    QList<qsizetype> canonical; // indexes into the batch of the events newly stored
    int retransmits = 0;
    QList<EventKey> conflicts;
    QList<EventKey> acks;
    qint64 streamEpoch = 1;
    bool epochAdvanced = false;
};

} // namespace Pitwall
