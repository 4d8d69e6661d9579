#pragma once

#include "procfs.h"
#include "watch/processinfo.h"
#include "watch/scanresult.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

namespace Pitwall {

// Finds the target processes under a proc root. The matching rule is ProcFs::commandOf: a
// process is command C when the basename of its executable (/proc/<pid>/exe) is C. argv0 and
// comm are never trusted, so `exec -a ffmpeg sleep` is not ffmpeg while a symlink named `enc`
// pointing at ffmpeg is. The scanner itself (ownPid) and its descendants (ppid chain) are never
// returned. Without root, other users' exe links are unreadable and those processes are not seen.
//
// The exe link doubles as the cheap prefilter: readlink is one syscall per pid, measured about
// twice as fast as reading stat and faster than comm, and unlike comm it is the rule itself
// (comm of the symlinked ffmpeg is "enc"). Only matches pay for stat, status and cwd.
class ProcessScanner final
{
public:
    ProcessScanner(ProcFs procFs, const QStringList &targetCommands, int ownPid);

    ScanResult scan() const;
    // The same rule for one pid (proc connector exec events); nothing if it is not a target,
    // is the scanner or one of its descendants, or vanished while being read.
    std::optional<ProcessInfo> inspect(int pid) const;
    // Same pid AND same start time, and not a zombie: a reused pid is a different process.
    bool isAlive(int pid, quint64 startTimeTicks) const;

    const ProcFs &procFs() const { return m_proc; }

private:
    using ParentCache = QHash<int, int>; // pid -> ppid, for the ancestry walks of one scan

    std::optional<ProcessInfo> inspect(int pid, qint64 bootTime, ParentCache &parents) const;
    bool isSelfOrDescendant(int pid, int ppid, ParentCache &parents) const;

    ProcFs m_proc;
    QSet<QString> m_targets;
    int m_ownPid;
};

} // namespace Pitwall
