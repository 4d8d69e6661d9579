#pragma once

#include "relay/ingestevent.h"

#include <QDateTime>

namespace Pitwall {

// A canonical event as stored in the events table: what was ingested, plus when.
struct StoredEvent : IngestEvent
{
    QDateTime receivedAt;
};

} // namespace Pitwall
