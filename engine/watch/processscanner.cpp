#include "watch/processscanner.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Deeper than any real process tree; only guards against a fixture whose ppids form a loop.
constexpr int MaxAncestry = 4096;

bool isGone(const ProcessStat &stat)
{
    return stat.state == 'Z' || stat.state == 'X'; // exited, not yet reaped: nothing to govern
}

} // namespace

ProcessScanner::ProcessScanner(ProcFs procFs, const QStringList &targetCommands, int ownPid)
    : m_proc(std::move(procFs))
    , m_targets(targetCommands.cbegin(), targetCommands.cend())
    , m_ownPid(ownPid)
{
}

ScanResult ProcessScanner::scan() const
{
    QElapsedTimer timer;
    timer.start();
    ScanResult result;
    // btime is read once per scan (the wall clock may have been set since the last one); a root
    // without it is not a usable procfs, which is what a failed scan means.
    const auto bootTime = m_proc.bootTimeSeconds();
    if (!bootTime) {
        result.error = u"cannot read btime from %1/stat"_s.arg(m_proc.root());
    } else {
        ParentCache parents;
        const QList<int> pids = m_proc.pids();
        result.examined = int(pids.size());
        for (const int pid : pids) {
            if (!m_targets.contains(ProcFs::commandOf(m_proc.exePath(pid))))
                continue;
            if (auto info = inspect(pid, *bootTime, parents))
                result.processes.append(std::move(*info));
        }
        result.ok = true;
    }
    result.duration = std::chrono::microseconds(timer.nsecsElapsed() / 1000);
    return result;
}

std::optional<ProcessInfo> ProcessScanner::inspect(int pid) const
{
    const auto bootTime = m_proc.bootTimeSeconds();
    if (!bootTime)
        return std::nullopt;
    ParentCache parents;
    return inspect(pid, *bootTime, parents);
}

std::optional<ProcessInfo> ProcessScanner::inspect(int pid, qint64 bootTime,
                                                   ParentCache &parents) const
{
    // stat before and after the other reads: the same start time proves exe, uid and cwd were
    // read from one process and not from a successor that got the pid in between.
    const auto before = m_proc.stat(pid);
    if (!before || isGone(*before))
        return std::nullopt;
    ProcessInfo info;
    info.pid = pid;
    info.ppid = before->ppid;
    info.startTimeTicks = before->startTimeTicks;
    info.exePath = m_proc.exePath(pid);
    info.command = ProcFs::commandOf(info.exePath);
    if (!m_targets.contains(info.command))
        return std::nullopt;
    const auto uid = m_proc.realUid(pid);
    info.cwd = m_proc.cwd(pid);
    const auto after = m_proc.stat(pid);
    if (!uid || !after || after->startTimeTicks != info.startTimeTicks)
        return std::nullopt;
    info.uid = *uid;
    parents.insert(pid, info.ppid);
    if (isSelfOrDescendant(pid, info.ppid, parents))
        return std::nullopt;
    const qint64 ticks = qint64(info.startTimeTicks);
    const qint64 hz = ProcFs::clockTicksPerSecond();
    info.startedAt = QDateTime::fromMSecsSinceEpoch(
        bootTime * 1000 + ticks / hz * 1000 + ticks % hz * 1000 / hz, Qt::UTC);
    return info;
}

bool ProcessScanner::isSelfOrDescendant(int pid, int ppid, ParentCache &parents) const
{
    if (m_ownPid <= 0)
        return false;
    if (pid == m_ownPid)
        return true;
    int ancestor = ppid;
    for (int depth = 0; ancestor > 0 && depth < MaxAncestry; ++depth) {
        if (ancestor == m_ownPid)
            return true;
        auto known = parents.constFind(ancestor);
        if (known == parents.cend()) {
            const auto stat = m_proc.stat(ancestor);
            // An ancestor that vanished mid-walk had its children re-parented away from us.
            known = parents.insert(ancestor, stat ? stat->ppid : 0);
        }
        ancestor = *known;
    }
    return false;
}

bool ProcessScanner::isAlive(int pid, quint64 startTimeTicks) const
{
    const auto stat = m_proc.stat(pid);
    return stat && stat->startTimeTicks == startTimeTicks && !isGone(*stat);
}

} // namespace Pitwall
