#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

// A real process for the cgroup tests to govern (ffmpeg, sleep, an impostor), known by its
// identity (pid, start time). Killed and reaped when destroyed, so a failing test leaves no
// process behind in a test cgroup.
class CgroupWorkload final
{
public:
    // Starts `program` and waits until /proc/<pid>/exe shows `command` (a `bash -c 'exec ...'`
    // becomes its final program only after bash ran). Null when that does not happen in 5 s.
    static std::unique_ptr<CgroupWorkload> start(const QString &program,
                                                 const QStringList &arguments,
                                                 const QString &command);
    // ffmpeg rendering a test pattern to nowhere until killed: CPU-bound, like a transcoder.
    static std::unique_ptr<CgroupWorkload> ffmpeg();
    // The same ffmpeg started detached in `workingDir`: init is its parent, not the test, so a
    // watch engine running inside the test does not take it for one of its own children.
    static std::unique_ptr<CgroupWorkload> detachedFfmpeg(const QString &workingDir);

    ~CgroupWorkload();
    CgroupWorkload(const CgroupWorkload &) = delete;
    CgroupWorkload &operator=(const CgroupWorkload &) = delete;

    int pid() const { return m_pid; }
    quint64 startTime() const { return m_startTime; }
    // The process's cgroup in the hierarchy holding `controller` (from /proc/<pid>/cgroup), or in
    // the unified hierarchy (the "0::" line) for an empty controller. Empty if not found.
    QString cgroupOf(const QString &controller) const;
    quint64 cpuTicks() const;  // utime + stime
    void stop();

private:
    CgroupWorkload() = default;
    // Waits until /proc/<pid>/exe shows `command` and takes the start time from then on.
    bool identify(const QString &command);
    bool exists() const; // this incarnation, running or a zombie not reaped yet

    QProcess m_process;
    bool m_detached = false;
    int m_pid = 0;
    quint64 m_startTime = 0;
};
