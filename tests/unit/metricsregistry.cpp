#include "core/metrics/expositionwriter.h"
#include "core/metrics/metricsregistry.h"
#include "core/metrics/metricswriter.h"
#include "core/metrics/processmetrics.h"

#include <QCoreApplication>
#include "toolrun.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// Set in the environment of a child copy of this binary that must die in qFatal.
constexpr char fatalCaseVariable[] = "PITWALL_TEST_METRICS_FATAL_CASE";

constexpr double inf = std::numeric_limits<double>::infinity();

// The misuses that must stop the process; runs in the child, returns only if nothing stopped it.
void triggerFatalCase(const QString &which)
{
    MetricsRegistry registry;
    if (which == "typeClash"_L1) {
        registry.counter(u"jobs_total"_s, u"Jobs"_s);
        registry.gauge(u"jobs_total"_s, u"Jobs"_s);
    } else if (which == "labelClash"_L1) {
        registry.counter(u"jobs_total"_s, u"Jobs"_s, {u"channel"_s});
        registry.counter(u"jobs_total"_s, u"Jobs"_s, {u"stream"_s});
    } else if (which == "invalidName"_L1) {
        registry.gauge(u"queue:depth"_s, u"Depth"_s);
    } else if (which == "counterSuffix"_L1) {
        registry.counter(u"jobs_done"_s, u"Jobs"_s);
    } else if (which == "bucketOrder"_L1) {
        registry.histogram(u"job_duration_seconds"_s, u"Duration"_s, {10, 5});
    } else if (which == "otherBuckets"_L1) {
        registry.histogram(u"job_duration_seconds"_s, u"Duration"_s, {1, 5});
        registry.histogram(u"job_duration_seconds"_s, u"Duration"_s, {1, 10});
    } else if (which == "labelCount"_L1) {
        registry.gauge(u"queue_depth"_s, u"Depth"_s, {u"channel"_s}).labels({u"a"_s, u"b"_s});
    } else if (which == "collectorDuplicate"_L1) {
        registry.addCollector([](MetricsWriter &out) {
            out.gauge(u"queue_depth"_s, u"Depth"_s, {{u"channel"_s, u"a"_s}}, 1);
            out.gauge(u"queue_depth"_s, u"Depth"_s, {{u"channel"_s, u"a"_s}}, 2);
        });
        registry.render();
    } else if (which == "collectorClash"_L1) {
        registry.gauge(u"queue_depth"_s, u"Depth"_s);
        registry.addCollector(
            [](MetricsWriter &out) { out.gauge(u"queue_depth"_s, u"Depth"_s, {}, 1); });
        registry.render();
    }
}

// A registry using every feature, so its text covers everything promtool has to accept.
void fillWithEveryFeature(MetricsRegistry &registry)
{
    auto &events = registry.counter(u"relay_events_received_total"_s,
                                    u"Events received.\nPath C:\\relay \"quoted\""_s,
                                    {u"stream"_s, u"kind"_s});
    events.labels({u"s1"_s, u"a \"q\" \\ \n ü"_s}).inc();
    events.labels({u"s2"_s, QString()}).inc(2.5);
    registry.counter(u"vod_downloads_started_total"_s, u"Downloads started"_s).unlabelled().inc();
    auto &depth = registry.gauge(u"vod_queue_depth"_s, u"Jobs waiting"_s, {u"channel"_s});
    depth.labels({u"nan"_s}).set(std::numeric_limits<double>::quiet_NaN());
    depth.labels({u"up"_s}).set(inf);
    depth.labels({u"down"_s}).set(-inf);
    depth.labels({u"tiny"_s}).set(5e-324);
    depth.labels({u"huge"_s}).set(1e300);
    registry.gauge(u"watch_channels_live"_s, u"Channels live, none yet"_s, {u"channel"_s});
    auto &durations = registry.histogram(u"vod_download_duration_seconds"_s, u"Duration"_s,
                                         {0.5, 60, 3600, inf}, {u"channel"_s});
    durations.labels({u"main"_s}).observe(42);
    durations.labels({u"main"_s}).observe(std::numeric_limits<double>::quiet_NaN());
    registry.histogram(u"relay_batch_events"_s, u"Events per batch"_s, {1, 10, 100})
        .unlabelled()
        .observe(7);
    registry.addCollector([](MetricsWriter &out) {
        out.gauge(u"relay_sessions_open"_s, u"Open sessions"_s, {{u"role"_s, u"forwarder"_s}}, 2);
        out.gauge(u"relay_sessions_open"_s, u"Open sessions"_s, {{u"role"_s, u"receiver"_s}}, 0);
        out.counter(u"relay_sessions_closed_total"_s, u"Closed sessions"_s, {}, 12);
    });
    registerProcessMetrics(registry);
}

} // namespace

class TestMetricsRegistry final : public QObject
{
    Q_OBJECT

private slots:
    void rendersExactText();
    void formatsValues_data();
    void formatsValues();
    void histogramBucketsAreInclusiveAndCumulative();
    void concurrentUpdatesAddUpExactly();
    void reRegistrationReturnsSameFamily();
    void childrenKeepTheirAddress();
    void negativeCounterIncrementIsRefused();
    void collectorOutputIsMerged();
    void removedCollectorStopsContributing();
    void misuseIsFatal_data();
    void misuseIsFatal();
    void promtoolAcceptsEverything();
};

void TestMetricsRegistry::rendersExactText()
{
    MetricsRegistry registry;
    // Registered out of order: rendering sorts families by name and samples by label values.
    auto &depth = registry.gauge(u"vod_queue_depth"_s, u"Jobs waiting per channel"_s,
                                 {u"channel"_s});
    depth.labels({u"main"_s}).set(3);
    depth.labels({u"alt"_s}).set(-1.5);
    registry.gauge(u"watch_channels_live"_s, u"Live channels"_s, {u"channel"_s});
    auto &events = registry.counter(u"relay_events_received_total"_s,
                                    u"Events received.\nPath C:\\relay \"quoted\""_s,
                                    {u"stream"_s, u"kind"_s});
    events.labels({u"s2"_s, u"b"_s}).inc(2);
    events.labels({u"s1"_s, u"a \"q\" \\ \n"_s}).inc();
    events.labels({u"s1"_s, u"a"_s}).inc(0.5);
    registry.counter(u"vod_downloads_started_total"_s, u"Downloads started"_s).unlabelled().inc(3);
    auto &durations = registry.histogram(u"vod_download_duration_seconds"_s,
                                         u"Download duration"_s, {0.25, 60, 300},
                                         {u"channel"_s});
    Histogram &main = durations.labels({u"main"_s});
    main.observe(0.25);
    main.observe(42);
    main.observe(1000);

    const QByteArray expected = R"txt(# HELP relay_events_received_total Events received.\nPath C:\\relay "quoted"
# TYPE relay_events_received_total counter
relay_events_received_total{stream="s1",kind="a"} 0.5
relay_events_received_total{stream="s1",kind="a \"q\" \\ \n"} 1
relay_events_received_total{stream="s2",kind="b"} 2
# HELP vod_download_duration_seconds Download duration
# TYPE vod_download_duration_seconds histogram
vod_download_duration_seconds_bucket{channel="main",le="0.25"} 1
vod_download_duration_seconds_bucket{channel="main",le="60"} 2
vod_download_duration_seconds_bucket{channel="main",le="300"} 2
vod_download_duration_seconds_bucket{channel="main",le="+Inf"} 3
vod_download_duration_seconds_sum{channel="main"} 1042.25
vod_download_duration_seconds_count{channel="main"} 3
# HELP vod_downloads_started_total Downloads started
# TYPE vod_downloads_started_total counter
vod_downloads_started_total 3
# HELP vod_queue_depth Jobs waiting per channel
# TYPE vod_queue_depth gauge
vod_queue_depth{channel="alt"} -1.5
vod_queue_depth{channel="main"} 3
# HELP watch_channels_live Live channels
# TYPE watch_channels_live gauge
)txt";
    QCOMPARE(registry.render(), expected);
    QCOMPARE(QByteArray(MetricsRegistry::contentType),
             QByteArray("text/plain; version=0.0.4; charset=utf-8"));
}

void TestMetricsRegistry::formatsValues_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("integer") << 42.0 << QByteArray("42");
    QTest::newRow("big integer") << 123456789012.0 << QByteArray("123456789012");
    QTest::newRow("negative") << -1.5 << QByteArray("-1.5");
    QTest::newRow("tenth") << 0.1 << QByteArray("0.1");
    QTest::newRow("third") << 1.0 / 3 << QByteArray("0.3333333333333333");
    QTest::newRow("exponent") << 1e20 << QByteArray("1e+20");
    QTest::newRow("denormal") << 5e-324 << QByteArray("5e-324");
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
    QTest::newRow("+inf") << inf << QByteArray("+Inf");
    QTest::newRow("-inf") << -inf << QByteArray("-Inf");
}

void TestMetricsRegistry::formatsValues()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QCOMPARE(ExpositionWriter::formatValue(value), text);
    if (std::isfinite(value))
        QVERIFY(text.toDouble() == value);
}

void TestMetricsRegistry::histogramBucketsAreInclusiveAndCumulative()
{
    Histogram histogram({1, 2});
    for (const double v : {0.5, 1.0, 1.5, 2.0, 2.5, -7.0})
        histogram.observe(v);
    QCOMPARE(histogram.count(), quint64(6));
    QCOMPARE(histogram.sum(), 0.5);
    ExpositionWriter out;
    histogram.writeSamples(out, u"h_seconds"_s, {}, {});
    QCOMPARE(out.text(), QByteArray("h_seconds_bucket{le=\"1\"} 3\n"
                                    "h_seconds_bucket{le=\"2\"} 5\n"
                                    "h_seconds_bucket{le=\"+Inf\"} 6\n"
                                    "h_seconds_sum 0.5\n"
                                    "h_seconds_count 6\n"));
}

void TestMetricsRegistry::concurrentUpdatesAddUpExactly()
{
    MetricsRegistry registry;
    Counter &shared = registry.counter(u"items_total"_s, u"Items"_s).unlabelled();
    CounterFamily &perKey = registry.counter(u"keyed_items_total"_s, u"Items"_s, {u"key"_s});
    Histogram &sizes = registry.histogram(u"item_size_bytes"_s, u"Sizes"_s, {1}).unlabelled();
    Gauge &inFlight = registry.gauge(u"items_in_flight"_s, u"In flight"_s).unlabelled();

    constexpr int threadCount = 4;
    constexpr int perThread = 100000;
    constexpr int keys = 8;
    std::atomic<bool> done = false;
    // Scrapes run alongside the updates: rendering must never block or corrupt them.
    std::thread scraper([&] {
        while (!done.load())
            registry.render();
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < threadCount; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < perThread; ++i) {
                shared.inc();
                perKey.labels({QString::number(i % keys)}).inc();
                sizes.observe(t % 2 == 0 ? 0.25 : 4.0);
                inFlight.inc();
                inFlight.dec(0.5);
            }
        });
    }
    for (std::thread &worker : workers)
        worker.join();
    done = true;
    scraper.join();

    QCOMPARE(shared.value(), double(threadCount * perThread));
    for (int k = 0; k < keys; ++k)
        QCOMPARE(perKey.labels({QString::number(k)}).value(),
                 double(threadCount * perThread / keys));
    QCOMPARE(sizes.count(), quint64(threadCount * perThread));
    QCOMPARE(sizes.sum(), 2 * perThread * 0.25 + 2 * perThread * 4.0);
    QCOMPARE(inFlight.value(), threadCount * perThread * 0.5);
}

void TestMetricsRegistry::reRegistrationReturnsSameFamily()
{
    MetricsRegistry registry;
    CounterFamily &first = registry.counter(u"jobs_total"_s, u"Jobs"_s, {u"channel"_s});
    first.labels({u"main"_s}).inc(4);
    CounterFamily &again = registry.counter(u"jobs_total"_s, u"Jobs"_s, {u"channel"_s});
    QCOMPARE(&again, &first);
    QCOMPARE(again.labels({u"main"_s}).value(), 4.0);

    HistogramFamily &histogram =
        registry.histogram(u"job_duration_seconds"_s, u"Duration"_s, {1, 10});
    // The implicit +Inf bound may be spelled out.
    QCOMPARE(&registry.histogram(u"job_duration_seconds"_s, u"Duration"_s, {1, 10, inf}),
             &histogram);
    GaugeFamily &gauge = registry.gauge(u"job_queue_depth"_s, u"Depth"_s);
    QCOMPARE(&registry.gauge(u"job_queue_depth"_s, u"Depth"_s), &gauge);
}

void TestMetricsRegistry::childrenKeepTheirAddress()
{
    MetricsRegistry registry;
    GaugeFamily &family = registry.gauge(u"queue_depth"_s, u"Depth"_s, {u"channel"_s});
    Gauge *first = &family.labels({u"m"_s});
    for (int i = 0; i < 1000; ++i)
        family.labels({QString::number(i)}).set(i);
    QCOMPARE(&family.labels({u"m"_s}), first);
    QVERIFY(family.contains({u"999"_s}));
    QVERIFY(!family.contains({u"1000"_s}));
}

void TestMetricsRegistry::negativeCounterIncrementIsRefused()
{
    MetricsRegistry registry;
    Counter &counter = registry.counter(u"jobs_total"_s, u"Jobs"_s).unlabelled();
    counter.inc(2);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"ignoring counter increment by -1"_s));
    counter.inc(-1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"ignoring counter increment by nan"_s));
    counter.inc(std::numeric_limits<double>::quiet_NaN());
    QCOMPARE(counter.value(), 2.0);
}

void TestMetricsRegistry::collectorOutputIsMerged()
{
    MetricsRegistry registry;
    registry.counter(u"b_requests_total"_s, u"Requests"_s).unlabelled().inc();
    int scrapes = 0;
    registry.addCollector([&scrapes](MetricsWriter &out) {
        ++scrapes;
        out.gauge(u"c_queue_items"_s, u"Queued"_s, {{u"queue"_s, u"z"_s}}, scrapes);
        out.gauge(u"c_queue_items"_s, u"Queued"_s, {{u"queue"_s, u"a\"b"_s}}, 7);
        out.counter(u"a_scrapes_total"_s, u"Scrapes"_s, {}, scrapes);
    });
    registry.render();
    QCOMPARE(registry.render(), QByteArray("# HELP a_scrapes_total Scrapes\n"
                                           "# TYPE a_scrapes_total counter\n"
                                           "a_scrapes_total 2\n"
                                           "# HELP b_requests_total Requests\n"
                                           "# TYPE b_requests_total counter\n"
                                           "b_requests_total 1\n"
                                           "# HELP c_queue_items Queued\n"
                                           "# TYPE c_queue_items gauge\n"
                                           "c_queue_items{queue=\"a\\\"b\"} 7\n"
                                           "c_queue_items{queue=\"z\"} 2\n"));
}

void TestMetricsRegistry::removedCollectorStopsContributing()
{
    MetricsRegistry registry;
    const auto id = registry.addCollector(
        [](MetricsWriter &out) { out.gauge(u"queue_items"_s, u"Queued"_s, {}, 1); });
    registry.addCollector(
        [](MetricsWriter &out) { out.gauge(u"other_items"_s, u"Other"_s, {}, 2); });
    QVERIFY(registry.render().contains("queue_items 1\n"));
    registry.removeCollector(id);
    QCOMPARE(registry.render(),
             QByteArray("# HELP other_items Other\n# TYPE other_items gauge\nother_items 2\n"));
}

void TestMetricsRegistry::misuseIsFatal_data()
{
    QTest::addColumn<QString>("which");
    QTest::addColumn<QString>("message");
    QTest::newRow("typeClash") << u"typeClash"_s
                               << u"jobs_total is already registered as a counter"_s;
    QTest::newRow("labelClash") << u"labelClash"_s << u"with labels (channel)"_s;
    QTest::newRow("invalidName") << u"invalidName"_s
                                 << u"\"queue:depth\" is not a valid metric name"_s;
    QTest::newRow("counterSuffix") << u"counterSuffix"_s
                                   << u"counter jobs_done must end in _total"_s;
    QTest::newRow("bucketOrder") << u"bucketOrder"_s << u"strictly increasing"_s;
    QTest::newRow("otherBuckets") << u"otherBuckets"_s
                                  << u"job_duration_seconds is already registered with other"_s;
    QTest::newRow("labelCount") << u"labelCount"_s
                                << u"queue_depth has labels (channel) but was given 2"_s;
    QTest::newRow("collectorDuplicate") << u"collectorDuplicate"_s
                                        << u"a collector wrote queue_depth{a} twice"_s;
    QTest::newRow("collectorClash") << u"collectorClash"_s
                                    << u"queue_depth, which is a registered family"_s;
}

void TestMetricsRegistry::misuseIsFatal()
{
    QFETCH(QString, which);
    QFETCH(QString, message);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(fatalCaseVariable), which);
    child.setProcessEnvironment(env);
    // The child aborts on purpose; a core file per case would only litter the build tree.
    child.setChildProcessModifier([] {
        const rlimit noCore{0, 0};
        ::setrlimit(RLIMIT_CORE, &noCore);
    });
    child.start(QCoreApplication::applicationFilePath());
    QVERIFY2(child.waitForFinished(30000), qPrintable(child.errorString()));
    const QString errors = QString::fromUtf8(child.readAllStandardError());
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    QVERIFY2(errors.contains(message), qPrintable(errors));
}

void TestMetricsRegistry::promtoolAcceptsEverything()
{
    MetricsRegistry registry;
    fillWithEveryFeature(registry);
    const QByteArray text = registry.render();
    // Guard against a vacuous pass: the text really holds every kind of sample.
    const char *const needles[] = {
        "relay_events_received_total{",
        "vod_queue_depth{channel=\"nan\"} NaN",
        "_bucket{channel=\"main\",le=\"+Inf\"} 2",
        "relay_batch_events_count 1",
        "relay_sessions_open{role=\"forwarder\"} 2",
        "process_open_fds ",
        "process_resident_memory_bytes ",
        "pitwall_build_info{version=",
        "# TYPE watch_channels_live gauge",
    };
    for (const char *needle : needles)
        QVERIFY2(text.contains(needle), needle);

    const ToolRun accepted = ToolRun::promtool(text);
    QVERIFY2(accepted.ok() && (accepted.out + accepted.err).isEmpty(),
             (accepted.describe(u"promtool check metrics"_s) + "\n" + text).constData());

    // And the check does catch what the registry refuses to produce.
    const ToolRun refused = ToolRun::promtool("# HELP jobs Jobs\n# TYPE jobs counter\njobs 1\n");
    QVERIFY(refused.exitCode > 0);
    QVERIFY2((refused.out + refused.err).contains(u"_total"_s), refused.describe(u"promtool"_s).constData());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(fatalCaseVariable)) {
        triggerFatalCase(qEnvironmentVariable(fatalCaseVariable));
        return 0;
    }
    TestMetricsRegistry test;
    return QTest::qExec(&test, argc, argv);
}

#include "metricsregistry.moc"
