#include "cgroupworkload.h"

#include "procfs.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QStringList ffmpegArguments{u"-nostdin"_s, u"-hide_banner"_s, u"-loglevel"_s, u"error"_s,
                                  u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc=size=320x240"_s,
                                  u"-f"_s, u"null"_s, u"-"_s};

} // namespace

std::unique_ptr<CgroupWorkload> CgroupWorkload::start(const QString &program,
                                                      const QStringList &arguments,
                                                      const QString &command)
{
    std::unique_ptr<CgroupWorkload> workload(new CgroupWorkload);
    workload->m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    workload->m_process.start(program, arguments);
    if (!workload->m_process.waitForStarted(10'000))
        return nullptr;
    workload->m_pid = int(workload->m_process.processId());
    return workload->identify(command) ? std::move(workload) : nullptr;
}

std::unique_ptr<CgroupWorkload> CgroupWorkload::ffmpeg()
{
    return start(u"ffmpeg"_s, ffmpegArguments, u"ffmpeg"_s);
}

std::unique_ptr<CgroupWorkload> CgroupWorkload::detachedFfmpeg(const QString &workingDir)
{
    std::unique_ptr<CgroupWorkload> workload(new CgroupWorkload);
    qint64 pid = 0;
    if (!QProcess::startDetached(u"ffmpeg"_s, ffmpegArguments, workingDir, &pid))
        return nullptr;
    workload->m_detached = true;
    workload->m_pid = int(pid);
    return workload->identify(u"ffmpeg"_s) ? std::move(workload) : nullptr;
}

bool CgroupWorkload::identify(const QString &command)
{
    const ProcFs proc;
    for (QDeadlineTimer deadline(5000); !deadline.hasExpired(); QThread::msleep(20)) {
        const auto stat = proc.stat(m_pid);
        if (stat && ProcFs::commandOf(proc.exePath(m_pid)) == command) {
            m_startTime = stat->startTimeTicks;
            return true;
        }
    }
    return false;
}

bool CgroupWorkload::exists() const
{
    const auto stat = ProcFs().stat(m_pid);
    return stat && (m_startTime == 0 || stat->startTimeTicks == m_startTime);
}

CgroupWorkload::~CgroupWorkload()
{
    stop();
}

QString CgroupWorkload::cgroupOf(const QString &controller) const
{
    QFile file(u"/proc/%1/cgroup"_s.arg(m_pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // "4:memory:/pitwall/auto-ffmpeg-42", "1:cpu:/..." ("2:cpu,cpuacct:/..." when co-mounted),
    // "0::/..." for the unified hierarchy.
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(':');
        if (fields.size() < 3)
            continue;
        const QStringList controllers =
            QString::fromUtf8(fields.at(1)).split(u',', Qt::SkipEmptyParts);
        if (controller.isEmpty() ? fields.at(0) == "0" && controllers.isEmpty()
                                 : controllers.contains(controller))
            return QString::fromUtf8(line.mid(fields.at(0).size() + fields.at(1).size() + 2));
    }
    return {};
}

quint64 CgroupWorkload::cpuTicks() const
{
    const auto stat = ProcFs().stat(m_pid);
    return stat ? stat->utimeTicks + stat->stimeTicks : 0;
}

void CgroupWorkload::stop()
{
    if (m_detached) {
        // Not our child: init reaps it. Until then a v1 cgroup with its zombie cannot go.
        if (exists())
            ::kill(m_pid, SIGKILL);
        for (QDeadlineTimer deadline(10'000); exists() && !deadline.hasExpired();)
            QThread::msleep(20);
        return;
    }
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
}
