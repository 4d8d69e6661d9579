#include "cgroupworkload.h"

#include "procfs.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Pitwall;

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
    const ProcFs proc;
    for (QDeadlineTimer deadline(5000); !deadline.hasExpired(); QThread::msleep(20)) {
        const auto stat = proc.stat(workload->m_pid);
        if (stat && ProcFs::commandOf(proc.exePath(workload->m_pid)) == command) {
            workload->m_startTime = stat->startTimeTicks;
            return workload;
        }
    }
    return nullptr;
}

std::unique_ptr<CgroupWorkload> CgroupWorkload::ffmpeg()
{
    return start(u"ffmpeg"_s,
                 {u"-nostdin"_s, u"-hide_banner"_s, u"-loglevel"_s, u"error"_s, u"-f"_s, u"lavfi"_s,
                  u"-i"_s, u"testsrc=size=320x240"_s, u"-f"_s, u"null"_s, u"-"_s},
                 u"ffmpeg"_s);
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
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
}
