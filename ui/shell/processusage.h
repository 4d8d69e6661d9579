#pragma once

#include "procfs.h"
#include "watch/trackedprocess.h"

#include <QHash>

#include <optional>

namespace Pitwall {

// CPU and memory of one process at one moment.
struct ProcessUsage
{
    std::optional<double> cpuPercent; // of one core, since the previous measurement
    std::optional<qint64> residentBytes;
};

// Measures the governed processes from procfs: CPU time (utime + stime of /proc/<pid>/stat) and
// resident memory (/proc/<pid>/statm). A pid whose start time no longer matches is another
// process and gets nothing. CPU needs two readings of the same incarnation, so a process's
// first measurement has memory only.
class ProcessUsageMeter final
{
public:
    explicit ProcessUsageMeter(QString procRoot = QStringLiteral("/proc"));

    // `nowMs`: a monotonic clock in milliseconds. Processes not asked about are forgotten.
    QHash<ProcessKey, ProcessUsage> measure(const QList<ProcessKey> &processes, qint64 nowMs);

private:
    struct CpuReading
    {
        quint64 ticks = 0;
        qint64 atMs = 0;
    };

    std::optional<qint64> residentBytes(int pid) const;

    ProcFs m_proc;
    const double m_ticksPerSecond;
    const qint64 m_pageSize;
    QHash<ProcessKey, CpuReading> m_previous;
};

} // namespace Pitwall
