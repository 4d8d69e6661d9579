// What the console samples off the GUI thread: metric sums from the registry's own text, CPU and
// memory of real processes from /proc, and a ConsoleSampler over a running EngineHost.
#include "core/config/configloader.h"
#include "core/enginehost.h"
#include "core/metrics/metricsregistry.h"
#include "procfs.h"
#include "relay/relaymetrics.h"
#include "shell/consolefeed.h"
#include "shell/consolesampler.h"
#include "shell/metricstext.h"
#include "shell/processusage.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// The "vod" component's /status shape (research §3), as the VOD engine publishes it.
class VodStatusComponent final : public EngineComponent
{
public:
    QString name() const override { return u"vod"_s; }
    Readiness readiness() const override { return {true, {}}; }
    QJsonObject status() const override
    {
        return {{u"pending"_s, 7},
                {u"channels"_s,
                 QJsonObject{{u"alpha"_s, QJsonObject{{u"avg_download_ms"_s, u"60000"_s},
                                                      {u"avg_total_ms"_s, u"90000"_s}}},
                             {u"beta"_s, QJsonObject{{u"avg_download_ms"_s, u"120000"_s}}}}}};
    }
};

ProcessKey self()
{
    const int pid = int(QCoreApplication::applicationPid());
    return {pid, ProcFs().stat(pid)->startTimeTicks};
}

void burnCpu(int ms)
{
    QElapsedTimer clock;
    clock.start();
    volatile double x = 0;
    while (clock.elapsed() < ms)
        x = x + 1.0;
}

} // namespace

class ConsoleSamplerTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<EngineHost> startHost()
    {
        AppConfig config = ConfigLoader::defaults();
        config.dataDir = m_dir.path();
        config.bindPort = 0;
        auto host = std::make_unique<EngineHost>(config, nullptr);
        QString error;
        if (!host->start(&error))
            qFatal("cannot start the engine host: %s", qPrintable(error));
        return host;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void sumsAFamilyOfTheRenderedMetrics()
    {
        MetricsRegistry registry;
        registry.counter(u"relay_events_received_total"_s, u"h"_s).unlabelled().inc(5);
        GaugeFamily &depth = registry.gauge(u"vod_queue_depth"_s, u"h"_s, {u"channel"_s});
        depth.labels({u"a b"_s}).set(3); // a space inside a label value
        depth.labels({u"c"_s}).set(4);
        registry.histogram(u"vod_queue_depth_seconds"_s, u"h"_s, {1}).unlabelled();
        const QByteArray text = registry.render();
        QCOMPARE(sumOfSamples(text, "relay_events_received_total"), std::optional<double>(5));
        QCOMPARE(sumOfSamples(text, "vod_queue_depth"), std::optional<double>(7));
        QCOMPARE(sumOfSamples(text, "relay_events"), std::nullopt);
        QCOMPARE(sumOfSamples(text, "missing_total"), std::nullopt);
    }

    void measuresARealProcess()
    {
        ProcessUsageMeter meter;
        QElapsedTimer clock;
        clock.start();
        const ProcessKey key = self();
        const auto first = meter.measure({key}, clock.elapsed());
        QVERIFY(first.contains(key));
        QVERIFY(!first.value(key).cpuPercent); // needs two readings
        QVERIFY(first.value(key).residentBytes.value_or(0) > 1024 * 1024);
        burnCpu(400);
        const auto second = meter.measure({key}, clock.elapsed());
        // One core busy for the whole interval is 100 %; the bound is generous for a loaded host.
        QVERIFY2(second.value(key).cpuPercent.value_or(0) > 10,
                 qPrintable(QString::number(second.value(key).cpuPercent.value_or(-1))));
        QVERIFY(second.value(key).cpuPercent.value_or(0) < 150);

        // Same pid, another start time: another process, not measured.
        const ProcessKey impostor{key.pid, key.startTimeTicks + 1};
        QVERIFY(meter.measure({impostor}, clock.elapsed()).isEmpty());
        QVERIFY(meter.measure({{999999999, 1}}, clock.elapsed()).isEmpty());
    }

    void samplesTheRunningEngines()
    {
        const auto started = startHost();
        EngineHost &host = *started;
        RelayMetrics relay(host.metrics());
        host.addComponent(std::make_shared<VodStatusComponent>());

        ConsoleSampler sampler(host, 1000);
        QSignalSpy sampled(&sampler, &ConsoleSampler::sampled);
        sampler.sample();
        QVERIFY(!sampled.last().at(0).value<ConsoleSample>().relayReadsPerSecond);
        relay.eventsReceived.inc(500);
        QTest::qWait(200);
        sampler.sample();
        const auto sample = sampled.last().at(0).value<ConsoleSample>();
        QVERIFY(sample.relayReadsPerSecond.value_or(0) > 500); // 500 reads in ~0.2 s
        QVERIFY(sample.relayReadsPerSecond.value_or(0) < 5000);
        QCOMPARE(sample.vodQueueDepth, std::optional<double>(7));
        QCOMPARE(sample.avgDownloadSeconds, std::optional<double>(90)); // mean of 60 and 120
        QCOMPARE(sample.avgUploadSeconds, std::nullopt);
        QCOMPARE(sample.avgTotalSeconds, std::optional<double>(90));
        QVERIFY(!sample.watchRunning); // no watch engine
        host.stop();
    }

    void feedDeliversOnTheGuiThreadFromItsOwn()
    {
        const auto started = startHost();
        EngineHost &host = *started;
        ConsoleFeed feed(host, 50);
        QList<QThread *> threads;
        connect(&feed, &ConsoleFeed::sampled, this,
                [&threads] { threads.append(QThread::currentThread()); });
        QTRY_VERIFY(threads.size() >= 3);
        QVERIFY(std::all_of(threads.cbegin(), threads.cend(),
                            [](QThread *t) { return t == QCoreApplication::instance()->thread(); }));
        host.stop();
    }
};

QTEST_GUILESS_MAIN(ConsoleSamplerTest)
#include "consolesampler.moc"
