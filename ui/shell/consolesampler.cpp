#include "shell/consolesampler.h"

#include "core/enginehost.h"
#include "core/metrics/metricsregistry.h"
#include "shell/metricstext.h"
#include "watch/watchcomponent.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The /status shape of the VOD queue (research §3): averages are integer-millisecond strings.
std::optional<double> meanSeconds(const QJsonObject &channels, const QString &key)
{
    double sum = 0;
    int count = 0;
    for (auto it = channels.begin(); it != channels.end(); ++it) {
        bool ok = false;
        const double ms = it.value().toObject().value(key).toString().toDouble(&ok);
        if (ok) {
            sum += ms / 1000.0;
            ++count;
        }
    }
    return count > 0 ? std::optional<double>(sum / count) : std::nullopt;
}

template <typename T>
std::optional<double> addTo(std::optional<double> sum, const std::optional<T> &value)
{
    return value ? std::optional<double>(sum.value_or(0.0) + double(*value)) : sum;
}

} // namespace

ConsoleSampler::ConsoleSampler(EngineHost &host, int intervalMs, QString procRoot,
                               QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_timer(this)
    , m_usage(std::move(procRoot))
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ConsoleSampler::sample);
}

void ConsoleSampler::start()
{
    m_clock.start();
    m_timer.start();
    sample();
}

void ConsoleSampler::stop()
{
    m_timer.stop();
}

void ConsoleSampler::sample()
{
    ConsoleSample sample;
    sample.at = QDateTime::currentDateTimeUtc();
    sampleRelay(m_host.metrics().render(), sample);
    sampleVod(sample);
    sampleWatch(sample);
    emit sampled(sample);
}

std::shared_ptr<EngineComponent> ConsoleSampler::component(const QString &name) const
{
    for (const auto &component : m_host.components()) {
        if (component->name() == name)
            return component;
    }
    return {};
}

void ConsoleSampler::sampleRelay(const QByteArray &metrics, ConsoleSample &sample)
{
    const auto reads = sumOfSamples(metrics, "relay_events_received_total");
    const qint64 now = m_clock.elapsed();
    // A rate needs two readings; a counter that went down (a restarted registry) starts over.
    if (reads && m_lastReads && *reads >= *m_lastReads && now > m_lastReadsAtMs)
        sample.relayReadsPerSecond = (*reads - *m_lastReads) * 1000.0 / double(now - m_lastReadsAtMs);
    m_lastReads = reads;
    m_lastReadsAtMs = now;
}

void ConsoleSampler::sampleVod(ConsoleSample &sample) const
{
    const auto vod = component(u"vod"_s);
    if (!vod)
        return;
    const QJsonObject status = vod->status();
    if (status.contains(u"pending"_s))
        sample.vodQueueDepth = status.value(u"pending"_s).toDouble();
    const QJsonObject channels = status.value(u"channels"_s).toObject();
    sample.avgDownloadSeconds = meanSeconds(channels, u"avg_download_ms"_s);
    sample.avgUploadSeconds = meanSeconds(channels, u"avg_upload_ms"_s);
    sample.avgTotalSeconds = meanSeconds(channels, u"avg_total_ms"_s);
}

void ConsoleSampler::sampleWatch(ConsoleSample &sample)
{
    const auto watch = std::dynamic_pointer_cast<WatchComponent>(component(u"watch"_s));
    if (!watch)
        return;
    const WatchSnapshot snapshot = watch->snapshot();
    sample.watchRunning = snapshot.started;
    sample.processes = snapshot.state.processes.values();
    QList<ProcessKey> keys;
    keys.reserve(sample.processes.size());
    for (const TrackedProcess &process : std::as_const(sample.processes))
        keys.append(process.key());
    sample.usage = m_usage.measure(keys, m_clock.elapsed());
    for (const ProcessUsage &usage : std::as_const(sample.usage)) {
        sample.governedCpuPercent = addTo(sample.governedCpuPercent, usage.cpuPercent);
        sample.governedResidentBytes = addTo(sample.governedResidentBytes, usage.residentBytes);
    }
}

} // namespace Pitwall
