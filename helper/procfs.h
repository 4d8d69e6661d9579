#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Pitwall {

// The fields of /proc/<pid>/stat that the watch scanner and the helper need.
struct ProcessStat
{
    int pid = 0;
    int ppid = 0;
    QString comm; // as the kernel reports it: at most 15 bytes, may contain spaces and parens
    char state = '?';
    quint64 startTimeTicks = 0; // field 22: clock ticks after boot; (pid, start time) is identity
    quint64 utimeTicks = 0;
    quint64 stimeTicks = 0;
};

// Read-only access to a procfs tree: the real /proc, or a fixture directory with the same layout
// (tests, and the proc_root setting). Every reader tolerates the process vanishing half-way:
// the result is then nullopt or empty, never an exception or a crash.
class ProcFs final
{
public:
    explicit ProcFs(QString root = QStringLiteral("/proc"));

    const QString &root() const { return m_root; }

    QList<int> pids() const;                        // numeric entries of root
    std::optional<ProcessStat> stat(int pid) const; // fields parsed after the LAST ')'
    std::optional<uint> realUid(int pid) const;     // "Uid:" line of /proc/<pid>/status
    QString exePath(int pid) const;                 // readlink(exe), " (deleted)" stripped
    QString cwd(int pid) const;                     // readlink(cwd), " (deleted)" stripped
    QString argv0(int pid) const;                   // first NUL-separated field of cmdline
    std::optional<qint64> bootTimeSeconds() const;  // btime line of <root>/stat
    static long clockTicksPerSecond();              // sysconf(_SC_CLK_TCK)

    // The documented matching rule: a process IS command C when basename(exePath) == C.
    // argv0 and comm are not trusted: `exec -a ffmpeg sleep` sets both argv0 and nothing
    // else, and a symlink `enc -> /usr/bin/ffmpeg` gives comm "enc" but exe /usr/bin/ffmpeg,
    // so the symlinked ffmpeg IS ffmpeg and the renamed sleep is not.
    static QString commandOf(const QString &exePath);

private:
    QByteArray pidPath(int pid, const char *entry) const;
    QString readLink(int pid, const char *entry) const;

    QString m_root;
    QByteArray m_rootBytes; // encoded once: every reader builds paths from it
};

} // namespace Pitwall
