// The netlink proc connector against the real kernel: real processes, real events.
#include "watch/procconnector.h"

#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QVersionNumber>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <grp.h>
#include <sched.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using Pitwall::ProcConnector;

namespace {

// Runs ProcConnector::start() in a forked child after `prepare` took something away from it,
// and returns what the child saw: "started" or start()'s error text.
QString startInChild(const std::function<bool()> &prepare)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return u"pipe failed"_s;
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        QByteArray message;
        if (!prepare()) {
            message = QByteArray("prepare failed: ") + std::strerror(errno);
        } else {
            ProcConnector connector;
            QString error;
            message = connector.start(&error) ? QByteArray("started") : error.toUtf8();
        }
        [[maybe_unused]] const ssize_t n = ::write(fds[1], message.constData(), size_t(message.size()));
        ::_exit(0);
    }
    ::close(fds[1]);
    QByteArray answer;
    char buffer[512];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof(buffer))) > 0;)
        answer.append(buffer, n);
    ::close(fds[0]);
    ::waitpid(child, nullptr, 0);
    return QString::fromUtf8(answer);
}

// Spawns and reaps `count` /bin/true without running the Qt event loop, so the events pile up
// in the connector's socket.
void spawnWithoutEventLoop(int count)
{
    char program[] = "/bin/true";
    char *argv[] = {program, nullptr};
    for (int i = 0; i < count; ++i) {
        pid_t pid = 0;
        if (::posix_spawn(&pid, program, nullptr, nullptr, argv, environ) == 0)
            ::waitpid(pid, nullptr, 0);
    }
}

} // namespace

class TestProcConnector final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (::geteuid() != 0)
            QSKIP("the proc connector needs root (CI runs these tests as root)");
    }

    void execAndExitOfASpawnedProcessArriveQuickly()
    {
        ProcConnector connector;
        QElapsedTimer clock;
        QHash<int, qint64> execAt;
        QHash<int, qint64> exitAt;
        connect(&connector, &ProcConnector::execed, this,
                [&](int pid) { execAt.insert(pid, clock.nsecsElapsed()); });
        connect(&connector, &ProcConnector::exited, this,
                [&](int pid) { exitAt.insert(pid, clock.nsecsElapsed()); });
        QString error;
        QVERIFY2(connector.start(&error), qPrintable(error));
        QVERIFY(connector.isRunning());

        QList<double> latenciesMs;
        for (int round = 0; round < 5; ++round) {
            QProcess process;
            clock.start();
            process.start(u"/bin/true"_s, {});
            QVERIFY(process.waitForStarted());
            const int pid = int(process.processId());
            QTRY_VERIFY_WITH_TIMEOUT(execAt.contains(pid), 2000);
            QTRY_VERIFY_WITH_TIMEOUT(exitAt.contains(pid), 2000);
            QVERIFY(exitAt.value(pid) >= execAt.value(pid));
            QTRY_COMPARE(process.state(), QProcess::NotRunning);
            latenciesMs.append(double(execAt.value(pid)) / 1e6);
        }
        std::sort(latenciesMs.begin(), latenciesMs.end());
        qInfo("spawn -> exec event latency: median %.3f ms, max %.3f ms (target 100 ms)",
              latenciesMs.at(latenciesMs.size() / 2), latenciesMs.constLast());
        QVERIFY2(latenciesMs.constLast() < 2000, "exec events must arrive within 2 s");
    }

    void threadExitsAreNotProcessExits()
    {
        ProcConnector connector;
        QSignalSpy exits(&connector, &ProcConnector::exited);
        QVERIFY(connector.start());
        // ffmpeg runs its encoder and filter threads; only the process's exit is reported.
        QProcess ffmpeg;
        ffmpeg.start(u"ffmpeg"_s, {u"-nostdin"_s, u"-hide_banner"_s, u"-loglevel"_s, u"error"_s,
                                   u"-f"_s, u"lavfi"_s, u"-i"_s,
                                   u"testsrc=size=320x240:duration=0.5"_s, u"-threads"_s, u"4"_s,
                                   u"-f"_s, u"null"_s, u"-"_s});
        if (!ffmpeg.waitForStarted())
            QSKIP("ffmpeg is not installed");
        const int pid = int(ffmpeg.processId());
        QVERIFY(ffmpeg.waitForFinished(20000));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(exits.cbegin(), exits.cend(),
                        [pid](const QList<QVariant> &args) { return args.at(0).toInt() == pid; }),
            2000);
        QTest::qWait(100);
        const auto ours = std::count_if(exits.cbegin(), exits.cend(), [pid](const QList<QVariant> &a) {
            return a.at(0).toInt() == pid;
        });
        QCOMPARE(ours, 1);
    }

    void anOverflowingBufferReportsAnOverrun()
    {
        ProcConnector connector;
        connector.setReceiveBufferSize(1); // the kernel rounds it up to its minimum
        QSignalSpy overruns(&connector, &ProcConnector::overrun);
        QSignalSpy execs(&connector, &ProcConnector::execed);
        QVERIFY(connector.start());
        spawnWithoutEventLoop(200);
        QTRY_VERIFY_WITH_TIMEOUT(overruns.count() >= 1, 2000);
        // Reading goes on after the loss: new events still arrive.
        execs.clear();
        QProcess process;
        process.start(u"/bin/true"_s, {});
        QVERIFY(process.waitForStarted());
        const int pid = int(process.processId());
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(execs.cbegin(), execs.cend(),
                        [pid](const QList<QVariant> &args) { return args.at(0).toInt() == pid; }),
            2000);
        QTRY_COMPARE(process.state(), QProcess::NotRunning);
    }

    void stopEndsTheEventsAndStartWorksAgain()
    {
        ProcConnector connector;
        QSignalSpy execs(&connector, &ProcConnector::execed);
        QVERIFY(connector.start());
        connector.stop();
        QVERIFY(!connector.isRunning());
        connector.stop();
        spawnWithoutEventLoop(3);
        QTest::qWait(200);
        QCOMPARE(execs.count(), 0);

        QString error;
        QVERIFY2(connector.start(&error), qPrintable(error));
        spawnWithoutEventLoop(1);
        QTRY_VERIFY_WITH_TIMEOUT(execs.count() >= 1, 2000);
    }

    void unprivilegedListeningDependsOnTheKernel()
    {
        const QString result = startInChild([] {
            return ::setgroups(0, nullptr) == 0 && ::setresgid(65534, 65534, 65534) == 0
                && ::setresuid(65534, 65534, 65534) == 0;
        });
        // Linux 6.6 opened the proc connector to every user; before, joining needs CAP_NET_ADMIN.
        utsname system = {};
        ::uname(&system);
        const QVersionNumber kernel = QVersionNumber::fromString(QLatin1String(system.release));
        if (kernel >= QVersionNumber(6, 6)) {
            QCOMPARE(result, u"started"_s);
        } else {
            QVERIFY2(result.contains(u"needs root or CAP_NET_ADMIN"_s)
                         && result.contains(u"Operation not permitted"_s),
                     qPrintable(result));
        }
    }

    void inOtherNamespacesStartFailsWithAReason_data()
    {
        QTest::addColumn<int>("namespaceFlag");
        QTest::addColumn<QStringList>("reasons"); // any one, depending on the kernel version
        // The kernel ignores subscriptions from other user (and PID) namespaces: no answer.
        // Before 6.6 the group cannot even be joined from there.
        QTest::newRow("user namespace")
            << int(CLONE_NEWUSER)
            << QStringList{u"did not acknowledge"_s, u"Operation not permitted"_s};
        // The connector exists in the initial network namespace only.
        QTest::newRow("network namespace")
            << int(CLONE_NEWNET)
            << QStringList{u"cannot send to the proc connector"_s,
                           u"cannot open a NETLINK_CONNECTOR socket"_s};
    }

    void inOtherNamespacesStartFailsWithAReason()
    {
        QFETCH(int, namespaceFlag);
        QFETCH(QStringList, reasons);
        const QString result = startInChild([namespaceFlag] { return ::unshare(namespaceFlag) == 0; });
        if (result.startsWith(u"prepare failed"_s))
            QSKIP(qPrintable(result));
        QVERIFY2(std::any_of(reasons.cbegin(), reasons.cend(),
                             [&result](const QString &reason) { return result.contains(reason); }),
                 qPrintable(result));
    }
};

QTEST_GUILESS_MAIN(TestProcConnector)
#include "procconnector.moc"
