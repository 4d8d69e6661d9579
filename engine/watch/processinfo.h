#pragma once

#include <QDateTime>
#include <QString>

namespace Pitwall {

// One discovered target process. (pid, startTimeTicks) is its identity: a pid reused by a new
// process comes with a different start time.
struct ProcessInfo
{
    int pid = 0;
    quint64 startTimeTicks = 0; // /proc/<pid>/stat field 22
    int ppid = 0;
    uint uid = 0;               // real uid
    QString command;            // ProcFs::commandOf(exePath), one of the target commands
    QString exePath;
    QString cwd;                // empty when unreadable
    QDateTime startedAt;        // btime + startTimeTicks / CLK_TCK, UTC; btime is whole seconds

    bool operator==(const ProcessInfo &) const = default;
};

} // namespace Pitwall
