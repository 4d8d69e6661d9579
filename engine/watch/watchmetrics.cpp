#include "watch/watchmetrics.h"

#include "core/metrics/metricsregistry.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

WatchMetrics::WatchMetrics(MetricsRegistry &registry)
    : scans(registry.counter(u"watch_scans_total"_s, u"Full /proc scans completed"_s).unlabelled())
    , scanFailures(registry.counter(u"watch_scan_failures_total"_s,
                                    u"Scans that could not read the proc root"_s).unlabelled())
    , scanDuration(registry.histogram(u"watch_scan_duration_seconds"_s,
                                      u"Time one full /proc scan takes"_s,
                                      {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1}).unlabelled())
    , tracked(registry.gauge(u"watch_processes_tracked"_s,
                             u"Processes currently governed in a job cgroup"_s).unlabelled())
    , health(registry.gauge(u"watch_health_status"_s,
                            u"Watch scanner health: 0 healthy, 1 degraded, 2 unhealthy"_s)
                 .unlabelled())
    , discovered(registry.counter(u"watch_processes_discovered_total"_s,
                                  u"Target processes found for the first time"_s, {u"command"_s}))
    , attached(registry.counter(u"watch_attachments_total"_s,
                                u"Processes moved into their job cgroup with limits applied"_s,
                                {u"command"_s}))
    , attachFailures(registry.counter(u"watch_attach_failures_total"_s,
                                      u"Attach attempts that failed"_s, {u"command"_s}))
    , exited(registry.counter(u"watch_processes_exited_total"_s,
                              u"Governed processes seen to exit"_s, {u"command"_s}))
    , eventOverruns(registry.counter(u"watch_event_overruns_total"_s,
                                     u"Proc connector events lost; a full scan followed"_s)
                        .unlabelled())
{
}

} // namespace Pitwall
