#pragma once

#include "core/metrics/counter.h"
#include "core/metrics/gauge.h"
#include "core/metrics/histogram.h"

namespace Pitwall {

class MetricsRegistry;

// The relay_* families on /metrics.
struct RelayMetrics
{
    explicit RelayMetrics(MetricsRegistry &registry);

    Counter &eventsReceived;
    Counter &eventsStored;
    Counter &eventsRetransmitted;
    Counter &eventsConflicts;
    Counter &batches;
    Histogram &batchDuration;
    Counter &forwarderAcks;
    Counter &receiverAcks;
    Counter &eventsDelivered;
    Counter &eventsReplayed;
    Counter &slowReceiversClosed;
    Counter &sessionErrors;
    Gauge &forwarderSessions;
    Gauge &receiverSessions;
    Gauge &sseClients;
};

} // namespace Pitwall
