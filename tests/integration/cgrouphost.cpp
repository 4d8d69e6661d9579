#include "cgroupmanager.h"
#include "cgroupworkload.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// The manager against the real kernel of this host, as root: v1 cpu and memory hierarchies
// (this CI host is hybrid) and the cgroup2 mount for what needs no controller there. Everything
// lives under a random base `pitwall-test-<hex>`, removed again in cleanup().
class CgroupHostTest final : public QObject
{
    Q_OBJECT

private:
    CgroupLayout m_layout;
    QString m_base;
    std::vector<std::unique_ptr<CgroupWorkload>> m_workloads;

    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray("<missing>");
    }

    CgroupWorkload *track(std::unique_ptr<CgroupWorkload> workload)
    {
        m_workloads.push_back(std::move(workload));
        return m_workloads.back().get();
    }

    bool hasV1() const
    {
        return m_layout.kind() == CgroupLayout::Kind::V1
            || m_layout.kind() == CgroupLayout::Kind::Hybrid;
    }

    // The cgroup2 mount as a v2 layout of its own (on hybrid hosts it lacks cpu and memory).
    CgroupManager unifiedManager() const
    {
        return CgroupManager(CgroupLayout::fromRoot(m_layout.unifiedMount()), m_base);
    }

    static CgroupLimits limits(int quota, int weight, qint64 memory)
    {
        CgroupLimits limits;
        limits.cpuQuotaPercent = quota;
        limits.cpuWeight = weight;
        limits.memoryLimitMb = memory;
        return limits;
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: creates cgroups and moves processes on the real hierarchies");
        m_layout = CgroupLayout::detect();
        QVERIFY2(m_layout.kind() != CgroupLayout::Kind::None, qPrintable(m_layout.reason()));
        qInfo("cgroup layout: %s", qPrintable(m_layout.describe()));
        m_base = u"pitwall-test-%1"_s.arg(QRandomGenerator::global()->generate(), 8, 16,
                                          QChar(u'0'));
    }

    // Whatever a test left: its processes die, their now empty jobs and the base go.
    void cleanup()
    {
        m_workloads.clear();
        CgroupManager(m_layout, m_base).sweepEmptyJobs();
        QStringList mounts = m_layout.hierarchies();
        if (!m_layout.unifiedMount().isEmpty() && !m_layout.isUnified()) {
            unifiedManager().sweepEmptyJobs();
            mounts << m_layout.unifiedMount();
        }
        for (const QString &mount : std::as_const(mounts)) {
            if (QFileInfo::exists(mount + u'/' + m_base))
                QVERIFY2(QDir(mount).rmdir(m_base), qPrintable(mount + u'/' + m_base));
        }
    }

    void detectedMountsAreCgroups()
    {
        for (const QString &mount : m_layout.hierarchies())
            QVERIFY2(QFileInfo::exists(mount + u"/cgroup.procs"_s), qPrintable(mount));
        if (hasV1()) {
            QVERIFY(QFileInfo::exists(m_layout.cpuMount() + u"/cpu.cfs_quota_us"_s));
            QVERIFY(QFileInfo::exists(m_layout.memoryMount() + u"/memory.limit_in_bytes"_s));
        }
    }

    // Research §9 scenario 2 on this hybrid host, through the library.
    void v1LimitsAndMove()
    {
        if (!hasV1())
            QSKIP("no cgroup v1 cpu and memory hierarchies on this host");
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        const QString unifiedBefore = ffmpeg->cgroupOf(QString());
        CgroupManager cgroups(m_layout, m_base);
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        const QString jobId = CgroupManager::jobIdFor(u"ffmpeg"_s, ffmpeg->pid());
        const auto applied = cgroups.createJob(jobId, limits(200, 100, 4096), &error);
        QVERIFY2(applied, qPrintable(error));
        QVERIFY(applied->limits == limits(200, 100, 4096));
        const QString cpuJob = m_layout.cpuMount() + u'/' + m_base + u'/' + jobId;
        const QString memoryJob = m_layout.memoryMount() + u'/' + m_base + u'/' + jobId;
        QCOMPARE(applied->paths, (QStringList{cpuJob, memoryJob}));
        // Limits first: nobody is inside yet.
        QCOMPARE(read(cpuJob + u"/cgroup.procs"_s), QByteArray());

        QVERIFY2(cgroups.movePid(jobId, ffmpeg->pid(), &error), qPrintable(error));
        QCOMPARE(read(cpuJob + u"/cpu.cfs_period_us"_s), QByteArray("100000"));
        QCOMPARE(read(cpuJob + u"/cpu.cfs_quota_us"_s), QByteArray("200000"));
        QCOMPARE(read(cpuJob + u"/cpu.shares"_s), QByteArray("1024"));
        QCOMPARE(read(cpuJob + u"/cgroup.procs"_s), QByteArray::number(ffmpeg->pid()));
        QCOMPARE(read(memoryJob + u"/memory.limit_in_bytes"_s), QByteArray("4294967296"));
        const QByteArray pid = QByteArray::number(ffmpeg->pid());
        QVERIFY(read(memoryJob + u"/cgroup.procs"_s).split('\n').contains(pid));
        const QString expected = u'/' + m_base + u'/' + jobId;
        QCOMPARE(ffmpeg->cgroupOf(u"cpu"_s), expected);
        QCOMPARE(ffmpeg->cgroupOf(u"memory"_s), expected);
        QCOMPARE(ffmpeg->cgroupOf(QString()), unifiedBefore);
        QVERIFY(cgroups.jobContainsPid(jobId, ffmpeg->pid()));

        // Busy: reported, never forced.
        QVERIFY(!cgroups.removeJob(jobId, &error));
        QVERIFY2(error.contains(u"Device or resource busy"_s), qPrintable(error));
        QVERIFY(!cgroups.sweepEmptyJobs().contains(jobId));
        QVERIFY(QFileInfo(cpuJob).isDir() && QFileInfo(memoryJob).isDir());

        QVERIFY2(cgroups.movePidToRoot(ffmpeg->pid(), &error), qPrintable(error));
        QCOMPARE(ffmpeg->cgroupOf(u"cpu"_s), u"/"_s);
        QCOMPARE(ffmpeg->cgroupOf(u"memory"_s), u"/"_s);
        QVERIFY2(cgroups.removeJob(jobId, &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(cpuJob) && !QFileInfo::exists(memoryJob));
    }

    // Re-attaching reuses the job; shares follow weight*1024/100 and read back to the weight;
    // memory.high has no v1 file and is reported as unsupported.
    void v1ReapplyWeightAndUnsupported()
    {
        if (!hasV1())
            QSKIP("no cgroup v1 cpu and memory hierarchies on this host");
        CgroupManager cgroups(m_layout, m_base);
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        const QString jobId = u"auto-ffmpeg-1"_s;
        QVERIFY2(cgroups.createJob(jobId, limits(200, 100, 4096), &error), qPrintable(error));
        CgroupLimits next;
        next.cpuWeight = 150;
        next.memoryHighMb = 1024;
        const auto applied = cgroups.createJob(jobId, next, &error);
        QVERIFY2(applied, qPrintable(error));
        QCOMPARE(applied->limits.cpuWeight, std::optional<int>(150));
        QVERIFY(!applied->limits.memoryHighMb);
        QCOMPARE(applied->unsupported, QStringList{u"memory_high"_s});
        const QString cpuJob = m_layout.cpuMount() + u'/' + m_base + u'/' + jobId;
        QCOMPARE(read(cpuJob + u"/cpu.shares"_s), QByteArray("1536"));
        QCOMPARE(read(cpuJob + u"/cpu.cfs_quota_us"_s), QByteArray("200000"));  // kept
        QCOMPARE(cgroups.sweepEmptyJobs(), QStringList{jobId});
        QVERIFY(!QFileInfo::exists(cpuJob));
    }

    // The files matter: at 25 % of a core, a CPU-bound ffmpeg gets about 25 ticks a second.
    void v1QuotaIsEnforced()
    {
        if (!hasV1())
            QSKIP("no cgroup v1 cpu and memory hierarchies on this host");
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        CgroupManager cgroups(m_layout, m_base);
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        const QString jobId = CgroupManager::jobIdFor(u"ffmpeg"_s, ffmpeg->pid());
        CgroupLimits quarter;
        quarter.cpuQuotaPercent = 25;
        QVERIFY2(cgroups.createJob(jobId, quarter, &error), qPrintable(error));
        QVERIFY2(cgroups.movePid(jobId, ffmpeg->pid(), &error), qPrintable(error));
        const quint64 before = ffmpeg->cpuTicks();
        QThread::sleep(3);
        const quint64 used = ffmpeg->cpuTicks() - before;
        const quint64 allowed = quint64(3 * 0.25 * ::sysconf(_SC_CLK_TCK));
        QVERIFY2(used <= allowed * 13 / 10, qPrintable(u"%1 ticks in 3 s"_s.arg(used)));
        QVERIFY2(used >= allowed / 10, qPrintable(u"%1 ticks in 3 s: ffmpeg stalled"_s.arg(used)));
    }

    // cgroup2 without controllers (this host's /sys/fs/cgroup/unified): mkdir, move, rmdir.
    void unifiedJobWithoutControllers()
    {
        if (m_layout.unifiedMount().isEmpty())
            QSKIP("no cgroup2 mount on this host");
        CgroupWorkload *sleeper = track(CgroupWorkload::start(u"sleep"_s, {u"60"_s}, u"sleep"_s));
        QVERIFY(sleeper);
        CgroupManager cgroups = unifiedManager();
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        const QString jobId = CgroupManager::jobIdFor(u"sleep"_s, sleeper->pid());
        const auto applied = cgroups.createJob(jobId, CgroupLimits{}, &error);
        QVERIFY2(applied, qPrintable(error));
        QVERIFY(applied->limits.isEmpty());
        const QString job = m_layout.unifiedMount() + u'/' + m_base + u'/' + jobId;
        QCOMPARE(applied->paths, QStringList{job});
        QVERIFY(QFileInfo::exists(job + u"/cgroup.procs"_s));

        QVERIFY2(cgroups.movePid(jobId, sleeper->pid(), &error), qPrintable(error));
        QCOMPARE(sleeper->cgroupOf(QString()), u'/' + m_base + u'/' + jobId);
        QCOMPARE(read(job + u"/cgroup.procs"_s), QByteArray::number(sleeper->pid()));
        QVERIFY(!cgroups.removeJob(jobId, &error));
        QVERIFY2(error.contains(u"Device or resource busy"_s), qPrintable(error));

        QVERIFY2(cgroups.movePidToRoot(sleeper->pid(), &error), qPrintable(error));
        QCOMPARE(sleeper->cgroupOf(QString()), u"/"_s);
        QVERIFY2(cgroups.removeJob(jobId, &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(job));
    }

    void unifiedControllerLimits()
    {
        if (m_layout.unifiedMount().isEmpty())
            QSKIP("no cgroup2 mount on this host");
        CgroupManager cgroups = unifiedManager();
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        const QString jobId = u"auto-ffmpeg-1"_s;
        if (!cgroups.missingControllers().isEmpty()) {
            // What a v2 host without the controllers gets: a refusal naming the controller.
            QVERIFY(!cgroups.createJob(jobId, limits(200, 100, 4096), &error));
            QVERIFY2(error.contains(u"controller is not enabled"_s), qPrintable(error));
            QVERIFY(!QFileInfo::exists(m_layout.unifiedMount() + u'/' + m_base + u'/' + jobId));
            const QString missing = cgroups.missingControllers().join(u", "_s);
            QSKIP(qPrintable(u"cpu/memory are not in %1/cgroup.controllers (missing: %2): the "
                             u"v2 limit files need a pure v2 host"_s.arg(m_layout.unifiedMount(),
                                                                         missing)));
        }
        const QString base = m_layout.unifiedMount() + u'/' + m_base;
        QVERIFY(read(base + u"/cgroup.subtree_control"_s).split(' ').contains("cpu"));
        QVERIFY(read(base + u"/cgroup.subtree_control"_s).split(' ').contains("memory"));
        CgroupLimits all = limits(200, 100, 4096);
        all.memoryHighMb = 3072;
        const auto applied = cgroups.createJob(jobId, all, &error);
        QVERIFY2(applied, qPrintable(error));
        QVERIFY(applied->limits == all);
        QCOMPARE(read(base + u'/' + jobId + u"/cpu.max"_s), QByteArray("200000 100000"));
        QCOMPARE(read(base + u'/' + jobId + u"/cpu.weight"_s), QByteArray("100"));
        QCOMPARE(read(base + u'/' + jobId + u"/memory.max"_s), QByteArray("4294967296"));
        QCOMPARE(read(base + u'/' + jobId + u"/memory.high"_s), QByteArray("3221225472"));
    }
};

QTEST_GUILESS_MAIN(CgroupHostTest)
#include "cgrouphost.moc"
