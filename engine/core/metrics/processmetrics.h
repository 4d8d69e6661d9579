#pragma once

#include <QString>

namespace Pitwall {

class MetricsRegistry;

// Adds a collector with the standard process metrics of the Prometheus client libraries
// (process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds) plus pitwall_uptime_seconds and
// pitwall_build_info{version}. Everything is read from procfs at scrape time; a value that cannot
// be read is left out, never guessed. procSelfDir is /proc/self except in tests; the system-wide
// files (stat, uptime) are read from its parent.
void registerProcessMetrics(MetricsRegistry &registry,
                            const QString &procSelfDir = QStringLiteral("/proc/self"));

} // namespace Pitwall
