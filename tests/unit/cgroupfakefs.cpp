#include "cgroupdir.h"
#include "cgroupmanager.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// The v2 logic against a fake cgroupfs: a temporary directory in which the test plays the
// kernel. A kernel creates a cgroup's interface files itself when the directory is made; the
// manager never creates files (a missing one is an error, as on cgroupfs), so the test creates
// the directories it expects, with those files, before the manager runs. mkdir of an existing
// directory is accepted by the manager (re-attach), which is what makes this honest: the code
// under test is exactly the production code.
class CgroupFakeFsTest final : public QObject
{
    Q_OBJECT

private:
    std::optional<QTemporaryDir> m_dir;
    QString m_root;

    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
    }

    static bool write(const QString &path, const QByteArray &content)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write(content) == content.size();
    }

    // What the kernel makes for a cgroup whose parent enabled `controllers`.
    static bool makeKernelCgroup(const QString &path, const QByteArray &controllers)
    {
        bool ok = QDir().mkpath(path) && write(path + u"/cgroup.controllers"_s, controllers + '\n')
            && write(path + u"/cgroup.subtree_control"_s, "")
            && write(path + u"/cgroup.procs"_s, "");
        const QList<QByteArray> list = controllers.split(' ');
        if (list.contains("cpu")) {
            ok = ok && write(path + u"/cpu.max"_s, "max 100000\n")
                && write(path + u"/cpu.weight"_s, "100\n");
        }
        if (list.contains("memory")) {
            ok = ok && write(path + u"/memory.max"_s, "max\n")
                && write(path + u"/memory.high"_s, "max\n");
        }
        return ok;
    }

    CgroupManager manager(const QString &base = u"pitwall"_s) const
    {
        return CgroupManager(CgroupLayout::fromRoot(m_root), base);
    }

    QString job(const QString &id = u"auto-ffmpeg-42"_s) const
    {
        return m_root + u"/pitwall/"_s + id;
    }

    static CgroupLimits limits()
    {
        CgroupLimits limits;
        limits.cpuQuotaPercent = 200;
        limits.cpuWeight = 100;
        limits.memoryLimitMb = 4096;
        limits.memoryHighMb = 3072;
        return limits;
    }

private slots:
    void init()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
        m_root = m_dir->filePath(u"cgroup"_s);
        QVERIFY(makeKernelCgroup(m_root, "cpuset cpu io memory pids"));
    }

    void prepareBaseEnablesControllers()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        QCOMPARE(read(m_root + u"/cgroup.subtree_control"_s), QByteArray("+cpu +memory"));
        QCOMPARE(read(m_root + u"/pitwall/cgroup.subtree_control"_s), QByteArray("+cpu +memory"));
        QVERIFY(cgroups.missingControllers().isEmpty());
    }

    // Only what is missing is written: an enabled root is left alone.
    void prepareBaseWritesOnlyWhatIsMissing()
    {
        QVERIFY(write(m_root + u"/cgroup.subtree_control"_s, "cpu memory pids\n"));
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory pids"));
        QVERIFY(write(m_root + u"/pitwall/cgroup.subtree_control"_s, "memory\n"));
        QString error;
        QVERIFY2(manager().prepareBase(&error), qPrintable(error));
        QCOMPARE(read(m_root + u"/cgroup.subtree_control"_s), QByteArray("cpu memory pids\n"));
        QCOMPARE(read(m_root + u"/pitwall/cgroup.subtree_control"_s), QByteArray("+cpu"));
    }

    void prepareBaseCreatesTheBase()
    {
        QVERIFY(!QFileInfo::exists(m_root + u"/pitwall"_s));
        QString error;
        // The fake has no kernel to fill the new directory, so the base's subtree_control is
        // missing and reported; what matters here is that mkdir happened.
        QVERIFY(!manager().prepareBase(&error));
        QVERIFY(QFileInfo(m_root + u"/pitwall"_s).isDir());
        QVERIFY2(error.contains(u"cgroup.subtree_control"_s) && error.contains(u"No such file"_s),
                 qPrintable(error));
    }

    void missingControllerIsReported()
    {
        QVERIFY(write(m_root + u"/cgroup.controllers"_s, "cpu io pids\n"));
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu"));
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        QCOMPARE(cgroups.missingControllers(), QStringList{u"memory"_s});
        QCOMPARE(read(m_root + u"/cgroup.subtree_control"_s), QByteArray("+cpu"));

        QVERIFY(makeKernelCgroup(job(), "cpu"));
        QVERIFY(!cgroups.createJob(u"auto-ffmpeg-42"_s, limits(), &error));
        QVERIFY2(error.contains(u"the memory controller is not enabled"_s), qPrintable(error));
        QCOMPARE(read(job() + u"/cpu.max"_s), QByteArray("max 100000\n"));  // nothing half-written

        CgroupLimits cpuOnly;
        cpuOnly.cpuQuotaPercent = 50;
        const auto applied = cgroups.createJob(u"auto-ffmpeg-42"_s, cpuOnly, &error);
        QVERIFY2(applied, qPrintable(error));
        QCOMPARE(read(job() + u"/cpu.max"_s), QByteArray("50000 100000"));
    }

    void createJobWritesExactFiles()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY2(cgroups.prepareBase(&error), qPrintable(error));
        const auto applied = cgroups.createJob(u"auto-ffmpeg-42"_s, limits(), &error);
        QVERIFY2(applied, qPrintable(error));
        QCOMPARE(read(job() + u"/cpu.max"_s), QByteArray("200000 100000"));
        QCOMPARE(read(job() + u"/cpu.weight"_s), QByteArray("100"));
        QCOMPARE(read(job() + u"/memory.max"_s), QByteArray("4294967296"));
        QCOMPARE(read(job() + u"/memory.high"_s), QByteArray("3221225472"));
        QCOMPARE(read(job() + u"/cgroup.procs"_s), QByteArray());  // nobody moved yet
        QVERIFY(applied->limits == limits());
        QCOMPARE(applied->paths, QStringList{job()});
        QVERIFY(applied->unsupported.isEmpty());
        QCOMPARE(cgroups.jobPaths(u"auto-ffmpeg-42"_s), QStringList{job()});
    }

    // Unset limits are neither written nor reported: the kernel's defaults stay.
    void writesOnlySetLimits()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        CgroupLimits quota;
        quota.cpuQuotaPercent = 150;
        QString error;
        const auto applied = manager().createJob(u"auto-ffmpeg-42"_s, quota, &error);
        QVERIFY2(applied, qPrintable(error));
        QCOMPARE(read(job() + u"/cpu.max"_s), QByteArray("150000 100000"));
        QCOMPARE(read(job() + u"/cpu.weight"_s), QByteArray("100\n"));
        QCOMPARE(read(job() + u"/memory.max"_s), QByteArray("max\n"));
        QVERIFY(applied->limits == quota);
    }

    void movesPids()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY2(cgroups.movePid(u"auto-ffmpeg-42"_s, 42, &error), qPrintable(error));
        QCOMPARE(read(job() + u"/cgroup.procs"_s), QByteArray("42"));
        QVERIFY(cgroups.jobContainsPid(u"auto-ffmpeg-42"_s, 42));
        QVERIFY(!cgroups.jobContainsPid(u"auto-ffmpeg-42"_s, 4));
        QVERIFY2(cgroups.movePidToRoot(42, &error), qPrintable(error));
        QCOMPARE(read(m_root + u"/cgroup.procs"_s), QByteArray("42"));
        QVERIFY(!cgroups.movePid(u"auto-ffmpeg-42"_s, 0, &error));
        QVERIFY(!cgroups.movePid(u"auto-ffmpeg-43"_s, 43, &error));
        QVERIFY2(error.contains(u"auto-ffmpeg-43: No such file"_s), qPrintable(error));
    }

    // The errno of the failing step, with file and directory, as the operator will read it.
    void writeErrorsNameFileAndDirectory()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        QVERIFY(QFile::remove(job() + u"/memory.max"_s));
        QString error;
        QVERIFY(!manager().createJob(u"auto-ffmpeg-42"_s, limits(), &error));
        QCOMPARE(error, u"opening memory.max in %1: No such file or directory"_s.arg(job()));
        // The job existed before the call: it may hold a process, so it is not removed.
        QVERIFY(QFileInfo(job()).isDir());
    }

    void failedJobThisCallCreatedIsRemoved()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QString error;
        QVERIFY(!manager().createJob(u"auto-ffmpeg-7"_s, limits(), &error));
        QVERIFY2(error.contains(u"cgroup.controllers"_s), qPrintable(error));
        QVERIFY(!QFileInfo::exists(job(u"auto-ffmpeg-7"_s)));
    }

    void refusesInvalidNames_data()
    {
        QTest::addColumn<QString>("jobId");
        for (const char *bad : {"", "pitwall", "../auto-ffmpeg-1", "auto-ffmpeg-1/../..", "auto-..-1",
                                "auto-ffmpeg-0", "auto-ffmpeg-", "auto--1", "auto-ff mpeg-1",
                                "auto-ffmpeg-1\n", "/sys/fs/cgroup/cpu/auto-ffmpeg-1", "auto-ffmpeg-99999999999"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }

    void refusesInvalidNames()
    {
        QFETCH(QString, jobId);
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        const QStringList before = QDir(m_root + u"/pitwall"_s).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY(!cgroups.createJob(jobId, limits(), &error));
        QVERIFY2(error.contains(u"invalid job id"_s), qPrintable(error));
        QVERIFY(!cgroups.movePid(jobId, 42, &error));
        QVERIFY(!cgroups.removeJob(jobId, &error));
        QVERIFY(cgroups.jobPaths(jobId).isEmpty());
        QCOMPARE(QDir(m_root + u"/pitwall"_s).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
    }

    void refusesInvalidBase()
    {
        for (const QString &base : {u".."_s, u"."_s, u"a/b"_s, u""_s, u"../../etc"_s}) {
            CgroupManager cgroups = manager(base);
            QString error;
            QVERIFY(!cgroups.prepareBase(&error));
            QVERIFY2(error.contains(u"invalid cgroup base"_s), qPrintable(error));
            QVERIFY(!cgroups.createJob(u"auto-ffmpeg-42"_s, limits(), &error));
        }
        QCOMPARE(read(m_root + u"/cgroup.subtree_control"_s), QByteArray());
    }

    void sweepRemovesOnlyEmptyJobs()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(QDir().mkpath(job(u"auto-ffmpeg-7"_s)));
        QVERIFY(QDir().mkpath(job(u"auto-gst-launch-1.0-8"_s)));
        // A non-empty directory cannot be removed, like a cgroup that still has processes.
        QVERIFY(makeKernelCgroup(job(u"auto-ffmpeg-9"_s), "cpu memory"));
        QVERIFY(QDir().mkpath(job(u"manual"_s)));
        const QString elsewhere = m_dir->filePath(u"elsewhere"_s);
        QVERIFY(QDir().mkpath(elsewhere));
        QVERIFY(QFile::link(elsewhere, job(u"auto-ffmpeg-10"_s)));

        QCOMPARE(manager().sweepEmptyJobs(), (QStringList{u"auto-ffmpeg-7"_s, u"auto-gst-launch-1.0-8"_s}));
        QVERIFY(!QFileInfo::exists(job(u"auto-ffmpeg-7"_s)));
        QVERIFY(QFileInfo(job(u"auto-ffmpeg-9"_s)).isDir());
        QVERIFY(QFileInfo(job(u"manual"_s)).isDir());
        QVERIFY(QFileInfo(job(u"auto-ffmpeg-10"_s)).isSymLink());
        QVERIFY(QFileInfo(elsewhere).isDir());
    }

    void removeJob()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(QDir().mkpath(job()));
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY2(cgroups.removeJob(u"auto-ffmpeg-42"_s, &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(job()));
        QVERIFY2(cgroups.removeJob(u"auto-ffmpeg-42"_s, &error), qPrintable(error));  // already gone
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        QVERIFY(!cgroups.removeJob(u"auto-ffmpeg-42"_s, &error));
        QVERIFY2(error.startsWith(u"removing auto-ffmpeg-42 in %1/pitwall: "_s.arg(m_root)), qPrintable(error));
    }

    // --- symlinks: refused wherever they are, and nothing is written through them -------------

    void refusesSymlinkedBase()
    {
        const QString target = m_dir->filePath(u"target"_s);
        QVERIFY(makeKernelCgroup(target, "cpu memory"));
        QVERIFY(makeKernelCgroup(target + u"/auto-ffmpeg-42"_s, "cpu memory"));
        QVERIFY(QFile::link(target, m_root + u"/pitwall"_s));
        CgroupManager cgroups = manager();
        QString error;
        QVERIFY(!cgroups.prepareBase(&error));
        QVERIFY2(error.contains(u"is a symbolic link (refused)"_s), qPrintable(error));
        QVERIFY(!cgroups.createJob(u"auto-ffmpeg-42"_s, limits(), &error));
        QVERIFY(!cgroups.movePid(u"auto-ffmpeg-42"_s, 42, &error));
        QVERIFY2(error.contains(u"is a symbolic link (refused)"_s), qPrintable(error));
        QCOMPARE(read(target + u"/cgroup.subtree_control"_s), QByteArray());
        QCOMPARE(read(target + u"/auto-ffmpeg-42/cpu.max"_s), QByteArray("max 100000\n"));
        QCOMPARE(read(target + u"/auto-ffmpeg-42/cgroup.procs"_s), QByteArray());
    }

    void refusesSymlinkedJob()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        const QString target = m_dir->filePath(u"target"_s);
        QVERIFY(makeKernelCgroup(target, "cpu memory"));
        QVERIFY(QFile::link(target, job()));
        QString error;
        QVERIFY(!manager().createJob(u"auto-ffmpeg-42"_s, limits(), &error));
        QCOMPARE(error, u"opening %1: is a symbolic link (refused)"_s.arg(job()));
        QVERIFY(!manager().movePid(u"auto-ffmpeg-42"_s, 42, &error));
        QCOMPARE(read(target + u"/cpu.max"_s), QByteArray("max 100000\n"));
        QCOMPARE(read(target + u"/cgroup.procs"_s), QByteArray());
        QVERIFY(QFileInfo(job()).isSymLink());
    }

    void refusesSymlinkedFile()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        const QString victim = m_dir->filePath(u"victim"_s);
        QVERIFY(write(victim, "precious\n"));
        QVERIFY(QFile::remove(job() + u"/cpu.max"_s));
        QVERIFY(QFile::link(victim, job() + u"/cpu.max"_s));
        QString error;
        QVERIFY(!manager().createJob(u"auto-ffmpeg-42"_s, limits(), &error));
        QCOMPARE(error, u"opening cpu.max in %1: is a symbolic link (refused)"_s.arg(job()));
        QCOMPARE(read(victim), QByteArray("precious\n"));
    }

    void refusesSymlinkInTheRootPath()
    {
        const QString link = m_dir->filePath(u"rootlink"_s);
        QVERIFY(QFile::link(m_root, link));
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        CgroupManager cgroups(CgroupLayout::fromRoot(link), u"pitwall"_s);
        QCOMPARE(cgroups.layout().kind(), CgroupLayout::Kind::V2);
        QString error;
        QVERIFY(!cgroups.prepareBase(&error));
        QCOMPARE(error, u"opening %1: is a symbolic link (refused)"_s.arg(link));
        QCOMPARE(read(m_root + u"/cgroup.subtree_control"_s), QByteArray());
    }

    // A FIFO planted as a limit file neither blocks the writer nor receives the value.
    void refusesNonRegularFile()
    {
        QVERIFY(makeKernelCgroup(m_root + u"/pitwall"_s, "cpu memory"));
        QVERIFY(makeKernelCgroup(job(), "cpu memory"));
        QVERIFY(QFile::remove(job() + u"/cpu.weight"_s));
        QCOMPARE(::mkfifo(QFile::encodeName(job() + u"/cpu.weight"_s).constData(), 0600), 0);
        CgroupLimits weight;
        weight.cpuWeight = 100;
        QString error;
        QVERIFY(!manager().createJob(u"auto-ffmpeg-42"_s, weight, &error));
        QVERIFY2(error.contains(u"cpu.weight"_s), qPrintable(error));
    }

    // Only the allow-listed interface files can be written, whatever a caller asks.
    void writesOnlyAllowListedFiles()
    {
        QVERIFY(write(m_root + u"/release_agent"_s, "/bin/true\n"));
        QString error;
        const auto dir = CgroupDir::openAbsolute(m_root, &error);
        QVERIFY2(dir, qPrintable(error));
        for (const auto name : {"release_agent"_L1, "tasks"_L1, "notify_on_release"_L1,
                                "../cgroup.procs"_L1, "cgroup.controllers"_L1}) {
            QVERIFY(!dir->writeFile(name, "/tmp/evil", &error));
            QVERIFY2(error.contains(u"not an allow-listed cgroup file"_s), qPrintable(error));
        }
        QVERIFY(!dir->readFile("release_agent"_L1, &error));
        QCOMPARE(read(m_root + u"/release_agent"_s), QByteArray("/bin/true\n"));
        QVERIFY(!dir->openChild(u".."_s, &error));
        QVERIFY(!dir->openChild(u"a/b"_s, &error));
        QVERIFY2(error.contains(u"not a single path component"_s), qPrintable(error));
        QVERIFY(!CgroupDir::openAbsolute(u"relative/path"_s, &error));
    }
};

QTEST_APPLESS_MAIN(CgroupFakeFsTest)
#include "cgroupfakefs.moc"
