#include "shell/processusage.h"

#include <QFile>

#include <unistd.h>

namespace Pitwall {

ProcessUsageMeter::ProcessUsageMeter(QString procRoot)
    : m_proc(std::move(procRoot))
    , m_ticksPerSecond(double(ProcFs::clockTicksPerSecond()))
    , m_pageSize(::sysconf(_SC_PAGESIZE))
{
}

QHash<ProcessKey, ProcessUsage> ProcessUsageMeter::measure(const QList<ProcessKey> &processes,
                                                           qint64 nowMs)
{
    QHash<ProcessKey, ProcessUsage> result;
    QHash<ProcessKey, CpuReading> readings;
    for (const ProcessKey &key : processes) {
        const auto stat = m_proc.stat(key.pid);
        // Start time 0: an entry of the old daemon, whose identity cannot be checked.
        if (!stat || (key.startTimeTicks != 0 && stat->startTimeTicks != key.startTimeTicks))
            continue;
        ProcessUsage usage;
        usage.residentBytes = residentBytes(key.pid);
        const CpuReading reading{stat->utimeTicks + stat->stimeTicks, nowMs};
        const auto previous = m_previous.constFind(key);
        if (previous != m_previous.cend() && nowMs > previous->atMs
            && reading.ticks >= previous->ticks) {
            const double seconds = double(reading.ticks - previous->ticks) / m_ticksPerSecond;
            usage.cpuPercent = 100.0 * seconds * 1000.0 / double(nowMs - previous->atMs);
        }
        readings.insert(key, reading);
        result.insert(key, usage);
    }
    m_previous = std::move(readings);
    return result;
}

std::optional<qint64> ProcessUsageMeter::residentBytes(int pid) const
{
    // statm: size resident shared text lib data dt, in pages.
    QFile file(m_proc.root() + u'/' + QString::number(pid) + QStringLiteral("/statm"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QList<QByteArray> fields = file.readLine().simplified().split(' ');
    bool ok = false;
    const qint64 pages = fields.size() > 1 ? fields.at(1).toLongLong(&ok) : 0;
    return ok ? std::optional<qint64>(pages * m_pageSize) : std::nullopt;
}

} // namespace Pitwall
