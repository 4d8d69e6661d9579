#pragma once

#include "core/metrics/counter.h"
#include "core/metrics/gauge.h"
#include "core/metrics/histogram.h"

namespace Pitwall {

class MetricsRegistry;

// The watch_* families on /metrics. Command labels come from target_commands, so they stay few.
struct WatchMetrics
{
    explicit WatchMetrics(MetricsRegistry &registry);

    Counter &scans;
    Counter &scanFailures;
    Histogram &scanDuration;
    Gauge &tracked;
    Gauge &health; // 0 healthy, 1 degraded, 2 unhealthy
    CounterFamily &discovered;
    CounterFamily &attached;
    CounterFamily &attachFailures;
    CounterFamily &exited;
    Counter &eventOverruns;
};

} // namespace Pitwall
