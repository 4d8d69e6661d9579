// The desktop console of tests/bench/console.sh: the engines embedded as the app runs them
// (EngineHost with the relay and the VOD queue, the console's log ring) and the MainWindow with
// every panel, on the platform QT_QPA_PLATFORM names.
//   start  prints first_paint_ms, from --t0-ns (CLOCK_REALTIME, taken by the script right before
//          it started this process) to the end of the window's first paint; with
//          --expect-streams n also streams_shown_ms, until the relay streams panel lists n rows;
//   load   prints "port <n>" once the relay listens, then one line a second until SIGTERM or
//          SIGINT: "tick <unix ms> <max drift of a 10 ms timer in that second, us> <RSS KiB>
//          <RssAnon KiB> <RssFile KiB> <on-CPU us> <runnable-waiting us> <malloc in use KiB>
//          <SQLite in use KiB>"; the two us figures are the GUI thread's during the late timer
//          interval (schedstat): work on the GUI thread, or waiting for a CPU; the rest of the
//          interval it slept. The last two split RssAnon: what the program holds through malloc
//          (glibc's mallinfo2, all arenas) and, of that, what SQLite holds (page caches,
//          statements), so that growth can be told from arena slack.
// Results are "key value" lines on stdout.
#include "addengines.h"
#include "core/config/configloader.h"
#include "core/enginehost.h"
#include "core/log/logring.h"
#include "core/log/logsink.h"
#include "core/unixsignalwatcher.h"
#include "mainwindow.h"
#include "relay/relaypanels.h"
#include "vod/vodconfigkeys.h"
#include "vod/vodpanels.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <memory>
#include <utility>

#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

constexpr int DriftIntervalMs = 10;

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_console: %s\n", qPrintable(message));
    std::exit(1);
}

qint64 realtimeNs()
{
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The calling thread's schedstat: ns on a CPU, ns runnable waiting for one. The file stays open:
// it is read every 10 ms.
class ThreadSchedStat
{
public:
    ThreadSchedStat() : m_fd(::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) {}
    ~ThreadSchedStat() { ::close(m_fd); }
    ThreadSchedStat(const ThreadSchedStat &) = delete;
    ThreadSchedStat &operator=(const ThreadSchedStat &) = delete;

    std::pair<qint64, qint64> read() const
    {
        char text[128];
        const ssize_t size = ::pread(m_fd, text, sizeof text - 1, 0);
        if (size <= 0)
            return {0, 0};
        text[size] = 0;
        long long run = 0;
        long long wait = 0;
        std::sscanf(text, "%lld %lld", &run, &wait);
        return {run, wait};
    }

private:
    int m_fd;
};

// A KiB figure of /proc/self/status: "VmRSS", "RssAnon" (the heap and stacks), "RssFile".
qint64 statusKib(QByteArrayView field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field) && line.at(field.size()) == ':')
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

qint64 mallocInUseKib()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64((info.uordblks + info.hblkhd) / 1024);
}

// Looked up in the libsqlite3 that Qt's SQLite driver loaded (RTLD_NOLOAD: that very copy; the
// plugin's libraries are not in the global scope), so the bench needs no link to it; -1 before
// the driver is loaded.
qint64 sqliteInUseKib()
{
    using MemoryUsed = long long (*)();
    static MemoryUsed memoryUsed = nullptr;
    if (!memoryUsed) {
        if (void *library = dlopen("libsqlite3.so.0", RTLD_LAZY | RTLD_NOLOAD))
            memoryUsed = reinterpret_cast<MemoryUsed>(dlsym(library, "sqlite3_memory_used"));
    }
    return memoryUsed ? memoryUsed() / 1024 : -1;
}

AppConfig loadConfig(const QString &dataDir)
{
    ConfigSources sources;
    sources.environment = QProcessEnvironment::systemEnvironment();
    sources.commandLine = {{u"data-dir"_s, dataDir}, {u"bind"_s, u"127.0.0.1:0"_s}};
    ConfigError error;
    std::optional<AppConfig> config = loadAppConfig(sources, &error);
    if (!config)
        die(error.toString());
    return std::move(*config);
}

// Calls `done` once, after the end of the first paint of `window` (the zero timer runs when the
// paint's event, which paints every visible child, has been handled).
class FirstPaint final : public QObject
{
public:
    FirstPaint(QWidget &window, std::function<void()> done) : m_done(std::move(done))
    {
        window.installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_done) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, this, std::exchange(m_done, {}));
        }
        return false;
    }

private:
    std::function<void()> m_done;
};

void print(const char *key, double value)
{
    std::printf("%-20s %.10g\n", key, value);
    std::fflush(stdout);
}

int runStart(QApplication &app, MainWindow &window, qint64 t0Ns, int expectStreams)
{
    const auto sinceStartMs = [t0Ns] { return double(realtimeNs() - t0Ns) / 1e6; };
    FirstPaint firstPaint(window, [&] {
        print("first_paint_ms", sinceStartMs());
        if (expectStreams <= 0) {
            app.quit();
            return;
        }
        auto *view = window.findChild<QAbstractItemView *>(u"relayStreamsView"_s);
        auto *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&, view] {
            if (view->model()->rowCount() < expectStreams)
                return;
            print("streams_shown_ms", sinceStartMs());
            app.quit();
        });
        poll->start(1);
    });
    QTimer::singleShot(std::chrono::minutes(2), &app, [] { die(u"no first paint in 2 minutes"_s); });
    window.show();
    app.exec();
    print("window_rss_kib", double(statusKib("VmRSS")));
    return 0;
}

int runLoad(QApplication &app, MainWindow &window, quint16 port)
{
    UnixSignalWatcher signalWatcher({SIGTERM, SIGINT});
    QObject::connect(&signalWatcher, &UnixSignalWatcher::received, &app, &QCoreApplication::quit);
    window.show();
    std::printf("port %u\n", port);
    std::fflush(stdout);

    // Drift: how much later than its 10 ms a precise timer on the GUI thread fires.
    // Where the worst interval of each second went: the GUI thread's CPU and run-queue time.
    QElapsedTimer sinceTick;
    const ThreadSchedStat schedStat;
    std::pair<qint64, qint64> atTick = schedStat.read();
    qint64 maxDriftUs = 0;
    std::pair<qint64, qint64> maxDriftSched{0, 0};
    QTimer drift;
    drift.setTimerType(Qt::PreciseTimer);
    QObject::connect(&drift, &QTimer::timeout, &app, [&] {
        const qint64 driftUs = sinceTick.nsecsElapsed() / 1000 - DriftIntervalMs * 1000;
        const std::pair<qint64, qint64> now = schedStat.read();
        if (driftUs > maxDriftUs) {
            maxDriftUs = driftUs;
            maxDriftSched = {(now.first - atTick.first) / 1000, (now.second - atTick.second) / 1000};
        }
        atTick = now;
        sinceTick.start();
    });
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, &app, [&] {
        std::printf("tick %lld %lld %lld %lld %lld %lld %lld %lld %lld\n",
                    realtimeNs() / 1'000'000, maxDriftUs, statusKib("VmRSS"), statusKib("RssAnon"),
                    statusKib("RssFile"), maxDriftSched.first, maxDriftSched.second,
                    mallocInUseKib(), sqliteInUseKib());
        std::fflush(stdout);
        maxDriftUs = 0;
        maxDriftSched = {0, 0};
    });
    sinceTick.start();
    drift.start(DriftIntervalMs);
    report.start(1000);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"pitwall-bench"_s);
    QCommandLineParser parser;
    parser.addPositionalArgument(u"mode"_s, u"start or load"_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"the console's data dir"_s, u"dir"_s);
    const QCommandLineOption t0(u"t0-ns"_s, u"start: CLOCK_REALTIME before the process started"_s,
                                u"ns"_s);
    const QCommandLineOption expectStreams(u"expect-streams"_s,
                                           u"start: wait for this many streams listed"_s, u"n"_s,
                                           u"0"_s);
    parser.addOptions({dataDir, t0, expectStreams});
    parser.addHelpOption();
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);
    if ((mode != u"start" && mode != u"load") || !parser.isSet(dataDir))
        parser.showHelp(2);

    LogRing ring;
    AppConfig config = loadConfig(parser.value(dataDir));
    LogSink::install({config.logLevel, config.logFormat, &ring});
    EngineHost host(config, &ring);
    QString error;
    // The desktop's engines, as app/main.cpp starts them (no watch config: no scanner).
    if (!startEngines(host, config, std::nullopt, false, &error))
        die(error);
    QObject::connect(&host, &EngineHost::fatalError, &app, [](const QString &message) { die(message); });
    // Stopped before the window goes, as in app/main.cpp.
    auto window = std::make_unique<MainWindow>(host);
    addRelayPanels(*window, host);
    addVodPanels(*window, host);
    const int exitCode = mode == u"start"
            ? runStart(app, *window, parser.value(t0).toLongLong(),
                       parser.value(expectStreams).toInt())
            : runLoad(app, *window, host.httpPort());
    host.stop();
    window.reset();
    LogSink::uninstall();
    return exitCode;
}
