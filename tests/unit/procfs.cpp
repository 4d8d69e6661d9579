#include "procfs.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/sysinfo.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using Pitwall::ProcFs;

namespace {

// The stat line of proc(5) with the given comm; utime 7, stime 3, starttime 12345.
QByteArray statLine(int pid, const QByteArray &comm, int ppid = 1)
{
    return QByteArray::number(pid) + " (" + comm + ") S " + QByteArray::number(ppid)
        + " 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 12345 1000 100\n";
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write fixture file");
}

// A child started through a symlink named `name`: the kernel sets comm from the name exec'd.
struct NamedChild
{
    QProcess process;

    NamedChild(const QTemporaryDir &dir, const QString &name, const QString &target)
    {
        const QString link = dir.filePath(name);
        QFile::link(target, link);
        process.start(link, {u"30"_s});
    }
    ~NamedChild()
    {
        process.kill();
        process.waitForFinished();
    }
};

} // namespace

class ProcFsTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_sleep = QStandardPaths::findExecutable(u"sleep"_s);

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!m_sleep.isEmpty(), "sleep(1) is needed");
        m_sleep = QFileInfo(m_sleep).canonicalFilePath();
    }

    void ownProcessFromRealProc()
    {
        const ProcFs proc;
        QCOMPARE(proc.root(), u"/proc"_s);
        const int self = int(::getpid());
        QVERIFY(proc.pids().contains(self));

        const auto stat = proc.stat(self);
        QVERIFY(stat);
        QCOMPARE(stat->pid, self);
        QCOMPARE(stat->ppid, int(::getppid()));
        QCOMPARE(stat->comm, u"tst_procfs"_s);
        QCOMPARE(stat->state, 'R');
        QVERIFY(stat->startTimeTicks > 0);

        QCOMPARE(proc.realUid(self), std::optional<uint>(::getuid()));
        QCOMPARE(proc.exePath(self), QCoreApplication::applicationFilePath());
        QCOMPARE(proc.cwd(self), QDir::currentPath());
        QCOMPARE(proc.argv0(self), QCoreApplication::arguments().constFirst());
        QCOMPARE(ProcFs::commandOf(proc.exePath(self)), u"tst_procfs"_s);
    }

    void bootTimeMatchesUptime()
    {
        struct sysinfo info = {};
        QCOMPARE(::sysinfo(&info), 0);
        const qint64 expected = QDateTime::currentSecsSinceEpoch() - info.uptime;
        const auto btime = ProcFs().bootTimeSeconds();
        QVERIFY(btime);
        QVERIFY2(qAbs(*btime - expected) <= 2, qPrintable(u"btime %1, expected ~%2"_s
                                                              .arg(*btime).arg(expected)));
        QCOMPARE(ProcFs::clockTicksPerSecond(), ::sysconf(_SC_CLK_TCK));
    }

    void childSleepAndItsDisappearance()
    {
        const ProcFs proc;
        const auto ownStart = proc.stat(int(::getpid()))->startTimeTicks;
        QProcess child;
        child.setWorkingDirectory(m_dir.path());
        child.start(m_sleep, {u"30"_s});
        QVERIFY(child.waitForStarted());
        const int pid = int(child.processId());

        QTRY_COMPARE(proc.exePath(pid), m_sleep); // exec completes shortly after fork
        const auto stat = proc.stat(pid);
        QVERIFY(stat);
        QCOMPARE(stat->ppid, int(::getpid()));
        QCOMPARE(stat->comm, u"sleep"_s);
        QVERIFY(stat->startTimeTicks >= ownStart);
        QCOMPARE(ProcFs::commandOf(proc.exePath(pid)), u"sleep"_s);
        QCOMPARE(proc.cwd(pid), QDir(m_dir.path()).canonicalPath());
        // exec switches the exe link before it writes the new argv: wait for that too.
        QTRY_COMPARE(proc.argv0(pid), m_sleep);

        child.kill();
        QVERIFY(child.waitForFinished());
        QVERIFY(!proc.stat(pid));
        QVERIFY(!proc.realUid(pid));
        QVERIFY(proc.exePath(pid).isEmpty());
        QVERIFY(proc.cwd(pid).isEmpty());
        QVERIFY(proc.argv0(pid).isEmpty());
    }

    void realCommWithParensAndSpaces()
    {
        // A real process whose name breaks naive whitespace splitting of stat.
        NamedChild child(m_dir, u"x) (y z"_s, m_sleep);
        QVERIFY(child.process.waitForStarted());
        const int pid = int(child.process.processId());
        const ProcFs proc;
        QTRY_COMPARE(proc.stat(pid).value_or(Pitwall::ProcessStat()).comm, u"x) (y z"_s);
        QCOMPARE(proc.stat(pid)->ppid, int(::getpid()));
        QTRY_COMPARE(proc.stat(pid).value_or(Pitwall::ProcessStat()).state, 'S'); // asleep soon
        QCOMPARE(ProcFs::commandOf(proc.exePath(pid)), u"sleep"_s); // exe follows the link
    }

    void deletedExecutableKeepsItsPath()
    {
        const QString copy = m_dir.filePath(u"ffmpeg"_s);
        QVERIFY(QFile::copy(m_sleep, copy));
        QProcess child;
        child.start(copy, {u"30"_s});
        QVERIFY(child.waitForStarted());
        const int pid = int(child.processId());
        const ProcFs proc;
        QTRY_COMPARE(proc.exePath(pid), copy);
        QVERIFY(QFile::remove(copy));
        QCOMPARE(proc.exePath(pid), copy); // kernel says "<copy> (deleted)"
        QCOMPARE(ProcFs::commandOf(proc.exePath(pid)), u"ffmpeg"_s);
        child.kill();
        child.waitForFinished();
    }

    void fixtureTree()
    {
        QTemporaryDir root;
        writeFile(root.filePath(u"stat"_s), "cpu  1 2 3\nintr 5 6 7\nctxt 9\nbtime 1700000000\n");
        writeFile(root.filePath(u"42/stat"_s), statLine(42, "a) (b", 7));
        writeFile(root.filePath(u"42/status"_s),
                  "Name:\ta) (b\nUmask:\t0022\nUid:\t1001\t1002\t1003\t1004\nGid:\t5\t5\t5\t5\n");
        writeFile(root.filePath(u"42/cmdline"_s), QByteArray("/opt/enc\0-i\0in\0", 15));
        QVERIFY(QFile::link(u"/usr/bin/ffmpeg (deleted)"_s, root.filePath(u"42/exe"_s)));
        QVERIFY(QFile::link(u"/srv/jobs/1 (deleted)"_s, root.filePath(u"42/cwd"_s)));
        QDir(root.path()).mkpath(u"43"_s); // listed, but gone before anything was read
        QDir(root.path()).mkpath(u"self"_s);
        QDir(root.path()).mkpath(u"0123"_s);
        writeFile(root.filePath(u"44/stat"_s), "44 (short) S 1 2 3\n");
        writeFile(root.filePath(u"45/stat"_s), statLine(99, "other"));
        writeFile(root.filePath(u"46/status"_s), "Name:\tx\nUid:\tnope\n");

        const ProcFs proc(root.path());
        QList<int> pids = proc.pids();
        std::sort(pids.begin(), pids.end());
        QCOMPARE(pids, (QList<int>{42, 43, 44, 45, 46}));
        QCOMPARE(proc.bootTimeSeconds(), std::optional<qint64>(1700000000));

        const auto stat = proc.stat(42);
        QVERIFY(stat);
        QCOMPARE(stat->comm, u"a) (b"_s);
        QCOMPARE(stat->ppid, 7);
        QCOMPARE(stat->state, 'S');
        QCOMPARE(stat->utimeTicks, 7u);
        QCOMPARE(stat->stimeTicks, 3u);
        QCOMPARE(stat->startTimeTicks, 12345u);
        QCOMPARE(proc.realUid(42), std::optional<uint>(1001));
        QCOMPARE(proc.exePath(42), u"/usr/bin/ffmpeg"_s);
        QCOMPARE(proc.cwd(42), u"/srv/jobs/1"_s);
        QCOMPARE(proc.argv0(42), u"/opt/enc"_s);

        for (int vanished : {43, 1000}) {
            QVERIFY(!proc.stat(vanished));
            QVERIFY(!proc.realUid(vanished));
            QVERIFY(proc.exePath(vanished).isEmpty());
            QVERIFY(proc.cwd(vanished).isEmpty());
            QVERIFY(proc.argv0(vanished).isEmpty());
        }
        QVERIFY(!proc.stat(44)); // truncated line
        QVERIFY(!proc.stat(45)); // the file names another pid
        QVERIFY(!proc.realUid(46));
    }

    void missingRoot()
    {
        const ProcFs proc(m_dir.filePath(u"does-not-exist"_s));
        QVERIFY(proc.pids().isEmpty());
        QVERIFY(!proc.bootTimeSeconds());
        QVERIFY(!proc.stat(1));
    }

    void commandOfIsTheBasename()
    {
        QCOMPARE(ProcFs::commandOf(u"/usr/bin/ffmpeg"_s), u"ffmpeg"_s);
        QCOMPARE(ProcFs::commandOf(u"/usr/bin/gst-launch-1.0"_s), u"gst-launch-1.0"_s);
        QCOMPARE(ProcFs::commandOf(u"ffmpeg"_s), u"ffmpeg"_s);
        QCOMPARE(ProcFs::commandOf(u"/opt/my ffmpeg/ffmpeg6"_s), u"ffmpeg6"_s);
        QCOMPARE(ProcFs::commandOf(QString()), QString());
    }
};

QTEST_GUILESS_MAIN(ProcFsTest)
#include "procfs.moc"
