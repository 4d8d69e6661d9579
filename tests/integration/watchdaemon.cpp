// The watch scanner end to end, as root: a real `pitwall --daemon --watch-config`, real ffmpeg
// workloads, the real cgroup hierarchies of this host (research §9 scenarios).
#include "daemonprocess.h"
#include "httpclient.h"
#include "systemuser.h"
#include "toolrun.h"

#include "cgrouplayout.h"
#include "procfs.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const QStringList ffmpegArgs{u"-nostdin"_s, u"-hide_banner"_s, u"-loglevel"_s, u"error"_s,
                             u"-f"_s,       u"lavfi"_s,        u"-i"_s,        u"testsrc=size=320x240"_s,
                             u"-f"_s,       u"null"_s,         u"-"_s};
// Real-time pacing at 1 fps: several of these at once cost next to no CPU.
const QStringList pacedFfmpegArgs{u"-nostdin"_s, u"-hide_banner"_s, u"-loglevel"_s, u"error"_s,
                                  u"-re"_s, u"-f"_s, u"lavfi"_s, u"-i"_s,
                                  u"testsrc=size=16x16:rate=1"_s, u"-f"_s, u"null"_s, u"-"_s};

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

} // namespace

class WatchDaemonTest final : public QObject
{
    Q_OBJECT

private:
    QString m_base;
    Pitwall::CgroupLayout m_layout;
    QList<QProcess *> m_workloads;

    // A workload the test starts: the daemon did not start it and must never own it.
    QProcess *startWorkload(const QString &program, const QStringList &args,
                            const QString &workingDir = QDir::tempPath())
    {
        auto *process = new QProcess(this);
        process->setWorkingDirectory(workingDir);
        process->start(program, args);
        if (!process->waitForStarted(5000))
            qFatal("cannot start workload %s", qPrintable(program));
        m_workloads.append(process);
        return process;
    }

    QString writeConfig(DaemonProcess &daemon, const QByteArray &extra, const QByteArray &scan = "1s")
    {
        const QString path = daemon.dataDir() + u"/watch-config.yaml"_s;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write watch config");
        file.write("scan_interval: \"" + scan + "\"\n"
                   "state_flush_interval: 1s\n"
                   "cgroup_base: " + m_base.toUtf8() + "\n"
                   "default_limits:\n  cpu_quota: 200\n  cpu_weight: 100\n  memory_limit: 4096\n"
                   + extra);
        return path;
    }

    QJsonObject state(DaemonProcess &daemon)
    {
        return QJsonDocument::fromJson(readFile(daemon.dataDir() + u"/watch-state.json"_s)).object();
    }

    // Starts the daemon and returns once the state file counts its initial scan, so that what
    // it finds afterwards came from the proc connector or a timed scan.
    bool startPastInitialScan(DaemonProcess &daemon, const QStringList &args = {})
    {
        return daemon.start(args) && QTest::qWaitFor([&] {
            return state(daemon)[u"statistics"_s][u"total_scans"_s].toInteger() >= 1;
        }, 5000);
    }

    // Starts a paced ffmpeg; the milliseconds until the daemon logs its attach, -1 after `timeout`.
    qint64 msUntilAttached(DaemonProcess &daemon, std::chrono::milliseconds timeout)
    {
        QElapsedTimer clock;
        clock.start();
        const int pid = int(startWorkload(u"ffmpeg"_s, pacedFfmpegArgs)->processId());
        const QByteArray line = u"Attaching to PID %1 (ffmpeg) as job auto-ffmpeg-%1"_s.arg(pid).toUtf8();
        return daemon.waitForOutput(line, timeout) ? clock.elapsed() : -1;
    }

    QString cpuJobDir(const QString &job) const
    {
        return m_layout.cpuMount() + u'/' + m_base + u'/' + job;
    }

    QString memoryJobDir(const QString &job) const
    {
        return m_layout.memoryMount() + u'/' + m_base + u'/' + job;
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("the watch scanner moves processes between cgroups: needs root (CI runs as root)");
        if (QStandardPaths::findExecutable(u"ffmpeg"_s).isEmpty())
            QFAIL("ffmpeg missing (installer/install-deps.sh --test)");
        m_layout = Pitwall::CgroupLayout::detect();
        if (m_layout.cpuMount().isEmpty() || m_layout.memoryMount().isEmpty())
            QSKIP("these scenarios check v1 cpu/memory files; the v2 logic is covered by the "
                  "cgroup manager tests against a fake cgroupfs");
    }

    void init()
    {
        m_base = u"pitwall-e2e-%1"_s.arg(QRandomGenerator::global()->bounded(1u << 30));
    }

    void cleanup()
    {
        for (QProcess *process : std::as_const(m_workloads)) {
            process->kill();
            process->waitForFinished(5000);
        }
        qDeleteAll(m_workloads);
        m_workloads.clear();
        for (const QString &mount : {m_layout.cpuMount(), m_layout.memoryMount()}) {
            QDir base(mount + u'/' + m_base);
            for (const QString &job : base.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
                QDir(mount).rmdir(m_base + u'/' + job);
            QDir(mount).rmdir(m_base);
        }
    }

    void discoversAndAppliesExactLimits()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "commands:\n  gst-launch-1.0:\n    limits:\n      cpu_quota: 300\n");
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QVERIFY(daemon.waitForOutput("Performing initial scan"));

        QProcess *ffmpeg = startWorkload(u"ffmpeg"_s, ffmpegArgs);
        const int pid = int(ffmpeg->processId());
        const QString job = u"auto-ffmpeg-%1"_s.arg(pid);
        QVERIFY2(daemon.waitForOutput(u"Attaching to PID %1 (ffmpeg) as job %2"_s.arg(pid).arg(job).toUtf8(),
                                      std::chrono::seconds(3)),
                 daemon.output().constData());
        QTRY_VERIFY_WITH_TIMEOUT(state(daemon)[u"processes"_s][QString::number(pid)].isObject(), 3000);

        const QJsonObject entry = state(daemon)[u"processes"_s][QString::number(pid)].toObject();
        QCOMPARE(entry[u"job_id"_s].toString(), job);
        QCOMPARE(entry[u"command"_s].toString(), u"ffmpeg"_s);
        QVERIFY(entry[u"discovered_at"_s].toString() <= entry[u"attached_at"_s].toString());
        QCOMPARE(entry[u"start_time"_s].toInteger(),
                 qint64(Pitwall::ProcFs().stat(pid)->startTimeTicks));

        // Exact v1 files (research §9 scenario 2), limits written before the move.
        QCOMPARE(readFile(cpuJobDir(job) + u"/cpu.cfs_period_us"_s), QByteArray("100000"));
        QCOMPARE(readFile(cpuJobDir(job) + u"/cpu.cfs_quota_us"_s), QByteArray("200000"));
        QCOMPARE(readFile(cpuJobDir(job) + u"/cpu.shares"_s), QByteArray("1024"));
        QCOMPARE(readFile(cpuJobDir(job) + u"/cgroup.procs"_s), QByteArray::number(pid));
        QCOMPARE(readFile(memoryJobDir(job) + u"/memory.limit_in_bytes"_s), QByteArray("4294967296"));
        QVERIFY(readFile(memoryJobDir(job) + u"/cgroup.procs"_s).split('\n').contains(QByteArray::number(pid)));
        const QByteArray cgroups = readFile(u"/proc/%1/cgroup"_s.arg(pid));
        QVERIFY2(cgroups.contains(":cpu:/" + m_base.toUtf8() + "/" + job.toUtf8()), cgroups.constData());
        QVERIFY2(cgroups.contains(":memory:/" + m_base.toUtf8() + "/" + job.toUtf8()), cgroups.constData());

        // One process over several scans: one attach, counted once.
        QTest::qWait(2500);
        QCOMPARE(daemon.output().count(u"Attaching to PID %1 "_s.arg(pid).toUtf8()), 1);
        QCOMPARE(state(daemon)[u"statistics"_s][u"total_discovered"_s].toInteger(), 1);
        QVERIFY(state(daemon)[u"statistics"_s][u"total_scans"_s].toInteger() >= 3);

        // /status and /metrics show it; promtool stays happy.
        const QJsonObject watch = HttpClient::get(daemon.url(u"/status"_s)).json()[u"watch"_s].toObject();
        QCOMPARE(watch[u"tracked"_s].toInt(), 1);
        QCOMPARE(watch[u"health"_s][u"status"_s].toString(), u"healthy"_s);
        const QByteArray metrics = HttpClient::get(daemon.url(u"/metrics"_s)).body;
        QVERIFY(metrics.contains("watch_processes_tracked 1"));
        QVERIFY(metrics.contains("watch_attachments_total{command=\"ffmpeg\"} 1"));
        const ToolRun check = ToolRun::promtool(metrics);
        QVERIFY2(check.ok() && (check.out + check.err).trimmed().isEmpty(),
                 check.describe(u"promtool check metrics"_s).constData());

        // Exit cleanup: state entry and both job directories go, the base stays.
        ffmpeg->terminate();
        QVERIFY(ffmpeg->waitForFinished(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(cpuJobDir(job)).exists(), 3000);
        QVERIFY(!QDir(memoryJobDir(job)).exists());
        QVERIFY(QDir(m_layout.cpuMount() + u'/' + m_base).exists());
        QTRY_VERIFY_WITH_TIMEOUT(!state(daemon)[u"processes"_s].toObject().contains(QString::number(pid)), 3000);
        QVERIFY(daemon.output().contains(u"Detached from PID %1"_s.arg(pid).toUtf8()));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void procConnectorDiscoversWithin100ms()
    {
        DaemonProcess daemon;
        // An hour between scans: after the initial scan only the proc connector finds processes.
        const QString config = writeConfig(daemon, {}, "1h");
        QVERIFY2(startPastInitialScan(daemon, {u"--watch-config"_s, config}), daemon.output().constData());
        QVERIFY2(!daemon.output().contains("proc connector unavailable"), daemon.output().constData());

        QList<qint64> latenciesMs;
        for (int round = 0; round < 5; ++round) {
            latenciesMs.append(msUntilAttached(daemon, std::chrono::seconds(2)));
            QVERIFY2(latenciesMs.constLast() >= 0, daemon.output().constData());
        }
        std::sort(latenciesMs.begin(), latenciesMs.end());
        qInfo("spawn -> Attaching through the proc connector: median %lld ms, max %lld ms",
              latenciesMs.at(2), latenciesMs.constLast());
        // The median, so one spawn delayed by a busy CI machine does not decide the outcome.
        QVERIFY2(latenciesMs.at(2) < 100, qPrintable(u"median %1 ms"_s.arg(latenciesMs.at(2))));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void pollingAloneDiscoversWithinOneInterval()
    {
        DaemonProcess daemon;
        // The proc connector exists in the initial network namespace only: in a namespace of
        // its own the daemon falls back to the periodic scan. WATCH_CONFIG names the file here.
        daemon.setLauncher({u"unshare"_s, u"--net"_s});
        daemon.setEnv(u"WATCH_CONFIG"_s, writeConfig(daemon, {}, "2s"));
        QVERIFY2(startPastInitialScan(daemon), daemon.output().constData());
        QVERIFY2(daemon.output().contains("proc connector unavailable, discovery by polling only"),
                 daemon.output().constData());

        // Research §9 scenario 1: within the 2 s interval plus 1 s of slack.
        const qint64 ms = msUntilAttached(daemon, std::chrono::seconds(3));
        QVERIFY2(ms >= 0, daemon.output().constData());
        qInfo("spawn -> Attaching by polling (scan_interval 2s): %lld ms", ms);
        // The guide's wording for a scan that found something; its summary follows the attach.
        QVERIFY(daemon.output().contains("[watch] Discovered 1 new process(es)"));
        QVERIFY(daemon.waitForOutput("[watch] Scan complete: new=1 tracked=0 duration="));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void cpuQuotaIsEnforced()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "commands:\n  ffmpeg:\n    limits:\n      cpu_quota: 50\n");
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QProcess *ffmpeg = startWorkload(u"ffmpeg"_s, ffmpegArgs);
        const int pid = int(ffmpeg->processId());
        const QString job = u"auto-ffmpeg-%1"_s.arg(pid);
        QTRY_VERIFY_WITH_TIMEOUT(QDir(cpuJobDir(job)).exists()
                                     && readFile(cpuJobDir(job) + u"/cgroup.procs"_s) == QByteArray::number(pid),
                                 4000);
        // The per-command quota overrides the default; the other fields are inherited.
        QCOMPARE(readFile(cpuJobDir(job) + u"/cpu.cfs_quota_us"_s), QByteArray("50000"));
        QCOMPARE(readFile(memoryJobDir(job) + u"/memory.limit_in_bytes"_s), QByteArray("4294967296"));

        const auto cpuTicks = [pid] {
            const auto stat = Pitwall::ProcFs().stat(pid);
            return stat ? qint64(stat->utimeTicks + stat->stimeTicks) : qint64(-1);
        };
        const qint64 before = cpuTicks();
        QTest::qWait(5000);
        const qint64 used = cpuTicks() - before;
        const qint64 perSecond = Pitwall::ProcFs::clockTicksPerSecond();
        // Half a core over 5 s is 2.5 s of CPU; allow 20 % above it, and require real progress.
        QVERIFY2(used <= perSecond * 3, qPrintable(u"used %1 ticks"_s.arg(used)));
        QVERIFY2(used >= perSecond, qPrintable(u"used %1 ticks"_s.arg(used)));
        const QByteArray throttled = readFile(cpuJobDir(job) + u"/cpu.stat"_s);
        QVERIFY2(!throttled.contains("nr_throttled 0\n"), throttled.constData());
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void impostorIsNotGoverned()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, {});
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QProcess *impostor = startWorkload(u"bash"_s, {u"-c"_s, u"exec -a ffmpeg sleep 60"_s});
        QTest::qWait(2500);
        QVERIFY(!daemon.output().contains(u"PID %1"_s.arg(impostor->processId()).toUtf8()));
        QVERIFY(state(daemon)[u"processes"_s].toObject().isEmpty());
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void minRuntimeDefersAndDirFilterBlocks()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "filters:\n  min_runtime: 3s\n  blocked_dirs: [/var/tmp]\n");
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QProcess *young = startWorkload(u"ffmpeg"_s, ffmpegArgs, u"/tmp"_s);
        QProcess *blocked = startWorkload(u"ffmpeg"_s, ffmpegArgs, u"/var/tmp"_s);
        const QString youngKey = QString::number(young->processId());
        QTest::qWait(1500);
        QVERIFY(!state(daemon)[u"processes"_s].toObject().contains(youngKey));
        QTRY_VERIFY_WITH_TIMEOUT(state(daemon)[u"processes"_s].toObject().contains(youngKey), 6000);
        QTest::qWait(1500);
        QVERIFY(!state(daemon)[u"processes"_s].toObject().contains(QString::number(blocked->processId())));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void uidFilterUsesTheRealOwner()
    {
        const uint uid = ensureSystemUser(u"pwtest"_s);
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "filters:\n  blocked_uids: [" + QByteArray::number(uid) + "]\n");
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QProcess *asRoot = startWorkload(u"ffmpeg"_s, ffmpegArgs);
        QProcess *asUser = startWorkload(u"setpriv"_s, QStringList{u"--reuid=pwtest"_s, u"--regid=pwtest"_s,
                                                                 u"--clear-groups"_s, u"ffmpeg"_s} + ffmpegArgs);
        QTRY_VERIFY_WITH_TIMEOUT(state(daemon)[u"processes"_s].toObject().contains(QString::number(asRoot->processId())), 4000);
        QTest::qWait(1500);
        QVERIFY(!state(daemon)[u"processes"_s].toObject().contains(QString::number(asUser->processId())));
        QVERIFY(daemon.output().contains(u"Ignoring PID %1 (ffmpeg)"_s.arg(asUser->processId()).toUtf8()));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void restartAndKillNeverHarmTheWorkload()
    {
        DaemonProcess first;
        const QString config = writeConfig(first, {});
        QVERIFY2(first.start({u"--watch-config"_s, config}), first.output().constData());
        QProcess *ffmpeg = startWorkload(u"ffmpeg"_s, ffmpegArgs);
        const int pid = int(ffmpeg->processId());
        const QString job = u"auto-ffmpeg-%1"_s.arg(pid);
        QTRY_VERIFY_WITH_TIMEOUT(state(first)[u"processes"_s].toObject().contains(QString::number(pid)), 4000);
        const QByteArray quota = readFile(cpuJobDir(job) + u"/cpu.cfs_quota_us"_s);

        QCOMPARE(first.stop(SIGKILL), -1); // killed, not exited
        QCOMPARE(ffmpeg->state(), QProcess::Running);
        QVERIFY(readFile(cpuJobDir(job) + u"/cgroup.procs"_s).split('\n').contains(QByteArray::number(pid)));
        QCOMPARE(readFile(cpuJobDir(job) + u"/cpu.cfs_quota_us"_s), quota);

        // A second daemon on the same data dir re-adopts it without counting it again.
        DaemonProcess second;
        const QString stateFile = first.dataDir() + u"/watch-state.json"_s;
        second.setEnv(u"STATE_PATH"_s, stateFile);
        const QString config2 = writeConfig(second, {});
        QVERIFY2(second.start({u"--watch-config"_s, config2}), second.output().constData());
        QVERIFY(second.waitForOutput("State loaded from"));
        QTest::qWait(2500);
        QVERIFY(!second.output().contains(u"Attaching to PID %1"_s.arg(pid).toUtf8()));
        const QJsonObject reloaded = QJsonDocument::fromJson(readFile(stateFile)).object();
        QCOMPARE(reloaded[u"statistics"_s][u"total_discovered"_s].toInteger(), 1);
        QCOMPARE(reloaded[u"processes"_s][QString::number(pid)][u"job_id"_s].toString(), job);

        QCOMPARE(second.stop(SIGTERM), 0);
        QCOMPARE(ffmpeg->state(), QProcess::Running);
        QVERIFY(readFile(cpuJobDir(job) + u"/cgroup.procs"_s).split('\n').contains(QByteArray::number(pid)));

        // It exits while no daemon runs: the next start drops the entry and removes its cgroups.
        ffmpeg->kill();
        QVERIFY(ffmpeg->waitForFinished(5000));
        DaemonProcess third;
        third.setEnv(u"STATE_PATH"_s, stateFile);
        QVERIFY2(third.start({u"--watch-config"_s, writeConfig(third, {})}), third.output().constData());
        QVERIFY2(third.waitForOutput("[state] Cleaned 1 stale PIDs from state"), third.output().constData());
        QVERIFY(!QDir(cpuJobDir(job)).exists());
        QVERIFY(!QDir(memoryJobDir(job)).exists());
        QTRY_VERIFY(!QJsonDocument::fromJson(readFile(stateFile)).object()[u"processes"_s]
                         .toObject().contains(QString::number(pid)));
        QCOMPARE(third.stop(SIGTERM), 0);
    }

    void reusedPidIsNotMistakenForTheOldProcess()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, {});
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QProcess *ffmpeg = startWorkload(u"ffmpeg"_s, ffmpegArgs);
        const int pid = int(ffmpeg->processId());
        const QString job = u"auto-ffmpeg-%1"_s.arg(pid);
        QTRY_VERIFY_WITH_TIMEOUT(state(daemon)[u"processes"_s].toObject().contains(QString::number(pid)), 4000);

        // Kill it and make the kernel hand the same PID to a new, non-target process.
        ffmpeg->kill();
        QVERIFY(ffmpeg->waitForFinished(5000));
        QFile lastPid(u"/proc/sys/kernel/ns_last_pid"_s);
        QVERIFY(lastPid.open(QIODevice::WriteOnly));
        lastPid.write(QByteArray::number(pid - 1));
        lastPid.close();
        QProcess *successor = startWorkload(u"sleep"_s, {u"60"_s});
        if (int(successor->processId()) != pid)
            QSKIP("another process took the PID before the successor; PID reuse not staged");

        QTRY_VERIFY_WITH_TIMEOUT(!state(daemon)[u"processes"_s].toObject().contains(QString::number(pid)), 4000);
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(cpuJobDir(job)).exists(), 4000);
        const QByteArray cgroups = readFile(u"/proc/%1/cgroup"_s.arg(pid));
        QVERIFY2(!cgroups.contains(m_base.toUtf8()), cgroups.constData());
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void sighupReloadsTheWatchConfig()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "target_commands: [gst-launch-1.0]\n");
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QProcess *ffmpeg = startWorkload(u"ffmpeg"_s, ffmpegArgs);
        const QString key = QString::number(ffmpeg->processId());
        QTest::qWait(1500);
        QVERIFY(!state(daemon)[u"processes"_s].toObject().contains(key));

        // A broken file is refused on reload and the running configuration stays.
        writeConfig(daemon, "target_commands: [ffmpeg]\nfilters:\n  min_runtme: 1s\n");
        daemon.sendSignal(SIGHUP);
        QVERIFY(daemon.waitForOutput("configuration not reloaded, keeping the old one"));
        QTest::qWait(1500);
        QVERIFY(!state(daemon)[u"processes"_s].toObject().contains(key));

        writeConfig(daemon, "target_commands: [ffmpeg]\n");
        daemon.sendSignal(SIGHUP);
        QVERIFY(daemon.waitForOutput("configuration reloaded"));
        QTRY_VERIFY_WITH_TIMEOUT(state(daemon)[u"processes"_s].toObject().contains(key), 4000);
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void corruptStateIsQuarantined()
    {
        DaemonProcess daemon;
        const QString stateFile = daemon.dataDir() + u"/watch-state.json"_s;
        QFile corrupt(stateFile);
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write("{not json");
        corrupt.close();
        const QString config = writeConfig(daemon, {});
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QTRY_VERIFY_WITH_TIMEOUT(!state(daemon).isEmpty(), 5000);
        const QStringList aside = QDir(daemon.dataDir()).entryList({u"watch-state.json.corrupt-*"_s});
        QCOMPARE(aside.size(), 1);
        QVERIFY(daemon.output().contains(aside.first().toUtf8()));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void healthFollowsTheProcRoot()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "proc_root: /nonexistent-proc\n", "200ms");
        QVERIFY2(daemon.start({u"--watch-config"_s, config}), daemon.output().constData());
        QVERIFY(daemon.waitForOutput("Health status: degraded", std::chrono::seconds(5)));
        QVERIFY(daemon.waitForOutput("Health status: unhealthy", std::chrono::seconds(5)));
        // The log line comes first; the snapshot and the state file follow within moments.
        QTRY_COMPARE(HttpClient::get(daemon.url(u"/readyz"_s)).json()[u"failed_check"_s].toString(),
                     u"watch"_s);
        QTRY_COMPARE(state(daemon)[u"health"_s][u"status"_s].toString(), u"unhealthy"_s);

        // Back to the real /proc by reload: one good scan restores healthy.
        const qsizetype seen = daemon.output().size();
        writeConfig(daemon, {}, "200ms");
        daemon.sendSignal(SIGHUP);
        QTRY_VERIFY(daemon.output().mid(seen).contains("Health status: healthy"));
        QTRY_COMPARE(state(daemon)[u"health"_s][u"status"_s].toString(), u"healthy"_s);
        QCOMPARE(HttpClient::get(daemon.url(u"/readyz"_s)).status, 200);
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void badWatchConfigIsRefused()
    {
        DaemonProcess daemon;
        const QString config = writeConfig(daemon, "filters:\n  blocked_dir: [/tmp]\n");
        QCOMPARE(daemon.runToExit({u"--daemon"_s, u"--watch-config"_s, config, u"--data-dir"_s,
                                   daemon.dataDir()}), 2);
        QVERIFY2(daemon.output().contains("filters.blocked_dir"), daemon.output().constData());
    }
};

QTEST_GUILESS_MAIN(WatchDaemonTest)
#include "watchdaemon.moc"
