#include "systemuser.h"
#include "toolrun.h"
#include "watch/processfilter.h"
#include "watch/processscanner.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Pitwall::FilterDecision;
using Pitwall::ProcessFilter;
using Pitwall::ProcessInfo;
using Pitwall::ProcessScanner;
using Pitwall::ProcFs;
using Pitwall::WatchConfig;

namespace {

const QString FfmpegUser = u"pwtest"_s;

// Real-time pacing (-re) at 5 fps keeps a handful of these cheap on a 2-core CI machine.
const QStringList FfmpegArgs{u"-nostdin"_s, u"-hide_banner"_s, u"-loglevel"_s, u"error"_s,
                             u"-re"_s, u"-f"_s, u"lavfi"_s, u"-i"_s,
                             u"testsrc=size=160x120:rate=5"_s, u"-f"_s, u"null"_s, u"-"_s};

// A child process in its own process group, killed with everything it started (a grandchild
// left running would keep the test alive) and reaped when the test leaves its scope.
class Child final
{
public:
    Child(const QString &program, const QStringList &arguments, const QString &cwd = {})
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        m_process.setWorkingDirectory(cwd);
        m_process.setStandardOutputFile(QProcess::nullDevice());
        m_process.setStandardErrorFile(QProcess::nullDevice());
        m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
        m_process.start();
    }
    ~Child()
    {
        if (m_process.processId() > 0)
            ::kill(-pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished();
    }
    int pid() const { return int(m_process.processId()); }
    bool started() { return m_process.waitForStarted(); }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
};

std::optional<ProcessInfo> findIn(const QList<ProcessInfo> &processes, int pid)
{
    for (const ProcessInfo &info : processes) {
        if (info.pid == pid)
            return info;
    }
    return std::nullopt;
}

QByteArray describe(const FilterDecision &decision)
{
    return (u"verdict %1: %2"_s.arg(int(decision.verdict)).arg(decision.reason)).toUtf8();
}

} // namespace

class ProcessScannerTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_ffmpeg = QStandardPaths::findExecutable(u"ffmpeg"_s);
    QString m_sleep = QStandardPaths::findExecutable(u"sleep"_s);
    std::unique_ptr<Child> m_unrelated; // a pid that is nobody's ancestor, for "ownPid elsewhere"

    ProcessScanner scanner(int ownPid) const
    {
        return ProcessScanner(ProcFs(), {u"ffmpeg"_s, u"gst-launch-1.0"_s}, ownPid);
    }
    ProcessScanner elsewhere() const { return scanner(m_unrelated->pid()); }

    // Scans until `pid` shows up (exec happens shortly after fork), or gives up after 5 s.
    static std::optional<ProcessInfo> waitForMatch(const ProcessScanner &scanner, int pid)
    {
        const QDeadlineTimer deadline(5s);
        do {
            if (auto found = findIn(scanner.scan().processes, pid))
                return found;
            QTest::qWait(20);
        } while (!deadline.hasExpired());
        return std::nullopt;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!m_ffmpeg.isEmpty(), "ffmpeg is needed (apt install ffmpeg)");
        m_ffmpeg = QFileInfo(m_ffmpeg).canonicalFilePath();
        m_unrelated = std::make_unique<Child>(m_sleep, QStringList{u"300"_s});
        QVERIFY(m_unrelated->started());
    }

    void cleanupTestCase() { m_unrelated.reset(); }

    void realFfmpegIsFoundWithItsIdentity()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc();
        Child ffmpeg(m_ffmpeg, FfmpegArgs, m_dir.path());
        QVERIFY(ffmpeg.started());
        const auto found = waitForMatch(elsewhere(), ffmpeg.pid());
        QVERIFY(found);
        QCOMPARE(found->command, u"ffmpeg"_s);
        QCOMPARE(found->exePath, m_ffmpeg);
        QCOMPARE(found->cwd, QDir(m_dir.path()).canonicalPath());
        QCOMPARE(found->ppid, int(::getpid()));
        QCOMPARE(found->uid, ::getuid());

        // Field 22 as an independent reader sees it (ffmpeg's comm has no spaces).
        const ToolRun awk = ToolRun::run(
            u"awk"_s, {u"{print $22}"_s, u"/proc/%1/stat"_s.arg(ffmpeg.pid())});
        QVERIFY2(awk.ok(), awk.describe(u"awk"_s).constData());
        QCOMPARE(found->startTimeTicks, awk.out.trimmed().toULongLong());
        // btime has whole seconds, so startedAt may be up to a second early.
        const qint64 skew = before.msecsTo(found->startedAt);
        QVERIFY2(skew > -1500 && skew < 1500, qPrintable(u"startedAt off by %1 ms"_s.arg(skew)));

        QCOMPARE(elsewhere().inspect(ffmpeg.pid()), found);
        QVERIFY(elsewhere().isAlive(ffmpeg.pid(), found->startTimeTicks));
        QVERIFY(!elsewhere().isAlive(ffmpeg.pid(), found->startTimeTicks + 1)); // pid reused
        ffmpeg.process().kill();
        QVERIFY(ffmpeg.process().waitForFinished());
        QVERIFY(!elsewhere().isAlive(ffmpeg.pid(), found->startTimeTicks));
        QVERIFY(!elsewhere().inspect(ffmpeg.pid()));
    }

    void impostorAndOtherProgramsAreNotMatched()
    {
        Child impostor(u"/bin/bash"_s, {u"-c"_s, u"exec -a ffmpeg sleep 60"_s});
        Child sleeper(m_sleep, {u"60"_s});
        QVERIFY(impostor.started() && sleeper.started());
        const ProcFs proc;
        QTRY_COMPARE(proc.argv0(impostor.pid()), u"ffmpeg"_s); // what the reference matched on
        QCOMPARE(ProcFs::commandOf(proc.exePath(impostor.pid())), u"sleep"_s);

        const auto scan = elsewhere().scan();
        QVERIFY(scan.ok);
        QVERIFY(!findIn(scan.processes, impostor.pid()));
        QVERIFY(!findIn(scan.processes, sleeper.pid()));
        QVERIFY(!elsewhere().inspect(impostor.pid()));
        QVERIFY(!elsewhere().inspect(sleeper.pid()));
    }

    void symlinkedFfmpegIsFfmpeg()
    {
        // The rule is the executable's basename: `enc -> ffmpeg` runs ffmpeg (its comm is "enc").
        const QString link = m_dir.filePath(u"enc"_s);
        QVERIFY(QFile::link(m_ffmpeg, link));
        Child encoder(link, FfmpegArgs);
        QVERIFY(encoder.started());
        const auto found = waitForMatch(elsewhere(), encoder.pid());
        QVERIFY(found);
        QCOMPARE(found->command, u"ffmpeg"_s);
        QCOMPARE(found->exePath, m_ffmpeg);
        QCOMPARE(ProcFs().stat(encoder.pid())->comm, u"enc"_s);
    }

    void neverItselfNorItsDescendants()
    {
        Child child(m_ffmpeg, FfmpegArgs);
        // A grandchild: bash stays in between because it has more to do after ffmpeg.
        Child viaShell(u"/bin/bash"_s,
                       QStringList{u"-c"_s, u"\"$0\" \"$@\"; true"_s, m_ffmpeg} + FfmpegArgs);
        QVERIFY(child.started() && viaShell.started());
        const auto grandchild = [&] {
            for (const ProcessInfo &info : elsewhere().scan().processes) {
                if (info.ppid == viaShell.pid())
                    return info.pid;
            }
            return 0;
        };
        QTRY_VERIFY(grandchild() > 0);
        QVERIFY(waitForMatch(elsewhere(), child.pid()));

        const int self = int(::getpid());
        const auto own = scanner(self).scan();
        QVERIFY(own.ok);
        QVERIFY(!findIn(own.processes, child.pid()));
        QVERIFY(!findIn(own.processes, grandchild()));
        QVERIFY(!scanner(self).inspect(child.pid()));
        QVERIFY(!scanner(self).inspect(grandchild()));
        QVERIFY(scanner(viaShell.pid()).inspect(child.pid()));   // not the shell's descendant
        QVERIFY(!scanner(viaShell.pid()).inspect(grandchild())); // the shell's own child
    }

    void secondUserAndUidFilters()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to add a user and run a process as that user");
        const uint uid = ensureSystemUser(FfmpegUser);
        Child asRoot(m_ffmpeg, FfmpegArgs);
        Child asUser(u"setpriv"_s, QStringList{u"--reuid=pwtest"_s, u"--regid=pwtest"_s,
                                               u"--clear-groups"_s, m_ffmpeg}
                                       + FfmpegArgs);
        QVERIFY(asRoot.started() && asUser.started());
        const auto root = waitForMatch(elsewhere(), asRoot.pid());
        const auto user = waitForMatch(elsewhere(), asUser.pid());
        QVERIFY(root && user);
        QCOMPARE(root->uid, 0u);
        QCOMPARE(user->uid, uid);
        QCOMPARE(user->pid, asUser.pid()); // setpriv execs ffmpeg in place

        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto verdict = [&](const WatchConfig &config, const ProcessInfo &info) {
            const FilterDecision decision = ProcessFilter(config).decide(info, now);
            qDebug() << describe(decision).constData();
            return decision.verdict;
        };
        using Verdict = FilterDecision::Verdict;
        WatchConfig blockedUid;
        blockedUid.filters.blockedUids = {uid};
        QCOMPARE(verdict(blockedUid, *root), Verdict::Accept);
        QCOMPARE(verdict(blockedUid, *user), Verdict::Reject);

        WatchConfig allowedUser;
        allowedUser.filters.allowedUsers = {FfmpegUser};
        QCOMPARE(verdict(allowedUser, *root), Verdict::Reject);
        QCOMPARE(verdict(allowedUser, *user), Verdict::Accept);

        WatchConfig both = allowedUser; // AND: the command-level list refuses pwtest too
        both.filters.allowedUsers = {FfmpegUser, u"root"_s};
        both.commands[u"ffmpeg"_s].filters.allowedUsers = {u"nobody"_s};
        QCOMPARE(verdict(both, *root), Verdict::Reject);
        QCOMPARE(verdict(both, *user), Verdict::Reject);
    }

    void blockedDirWithRealCwd()
    {
        Child inTmp(m_ffmpeg, FfmpegArgs, u"/tmp"_s);
        Child inVarTmp(m_ffmpeg, FfmpegArgs, u"/var/tmp"_s);
        QVERIFY(inTmp.started() && inVarTmp.started());
        const auto tmp = waitForMatch(elsewhere(), inTmp.pid());
        const auto varTmp = waitForMatch(elsewhere(), inVarTmp.pid());
        QVERIFY(tmp && varTmp);
        WatchConfig config;
        config.filters.blockedDirs = {u"/tmp"_s};
        const ProcessFilter filter(config);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(filter.decide(*tmp, now).verdict, FilterDecision::Verdict::Reject);
        QCOMPARE(filter.decide(*varTmp, now).verdict, FilterDecision::Verdict::Accept);
    }

    void zombieIsNotAlive()
    {
        // The background sleep exits and is never reaped by the exec'd parent: a zombie.
        Child parent(u"/bin/bash"_s, {u"-c"_s, u"sleep 0.1 & exec sleep 60"_s});
        QVERIFY(parent.started());
        const ProcFs proc;
        int zombie = 0;
        quint64 ticks = 0;
        const auto findZombie = [&] {
            for (const int pid : proc.pids()) {
                const auto stat = proc.stat(pid);
                if (stat && stat->ppid == parent.pid() && stat->state == 'Z') {
                    zombie = pid;
                    ticks = stat->startTimeTicks;
                    return true;
                }
            }
            return false;
        };
        QTRY_VERIFY(findZombie());
        QVERIFY(!elsewhere().isAlive(zombie, ticks));
        QVERIFY(elsewhere().isAlive(parent.pid(), proc.stat(parent.pid())->startTimeTicks));
    }

    void scanReportsItsCostAndFailures()
    {
        const auto scan = elsewhere().scan();
        QVERIFY(scan.ok);
        QVERIFY(scan.error.isEmpty());
        QVERIFY(scan.examined >= 3); // at least us, the unrelated sleep and init
        QVERIFY(scan.duration > 0us);
        qInfo("scan of %d pids took %lld us", scan.examined, qlonglong(scan.duration.count()));

        const QString noProc = m_dir.filePath(u"no-proc"_s);
        const ProcessScanner missing(ProcFs(noProc), {u"ffmpeg"_s}, 0);
        const auto failed = missing.scan();
        QVERIFY(!failed.ok);
        QCOMPARE(failed.error, u"cannot read btime from %1/stat"_s.arg(noProc));
        QVERIFY(failed.processes.isEmpty());
        QVERIFY(!missing.inspect(int(::getpid())));
    }
};

QTEST_GUILESS_MAIN(ProcessScannerTest)
#include "processscanner.moc"
