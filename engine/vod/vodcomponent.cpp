#include "vod/vodcomponent.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

VodComponent::VodComponent(int maxConcurrentDownloads, QJsonObject retryConfig)
    : m_maxConcurrentDownloads(maxConcurrentDownloads), m_retryConfig(std::move(retryConfig))
{
}

EngineComponent::Readiness VodComponent::readiness() const
{
    if (m_started.loadRelaxed())
        return {true, {}};
    return {false, u"VOD engine not started"_s};
}

QJsonObject VodComponent::status() const
{
    QJsonObject channels;
    for (const ChannelStatus &status : this->channels()) {
        QJsonObject entry = status.toStatusJson();
        entry.insert(u"max_concurrent_downloads"_s, m_maxConcurrentDownloads);
        entry.insert(u"retry_config"_s, m_retryConfig);
        channels.insert(status.channel, entry);
    }
    const ChannelStatus sum = totals();
    return {{u"state"_s, m_started.loadRelaxed() ? u"running"_s : u"starting"_s},
            {u"pending"_s, sum.pending},
            {u"errored"_s, sum.errored},
            {u"processed"_s, sum.processed},
            {u"active_downloads"_s, sum.activeDownloads},
            {u"max_concurrent_downloads"_s, m_maxConcurrentDownloads},
            {u"retry_config"_s, m_retryConfig},
            {u"channels"_s, channels}};
}

void VodComponent::publish(const ChannelStatus &status)
{
    QMutexLocker lock(&m_mutex);
    m_channels[status.channel] = status;
}

void VodComponent::forget(const QString &login)
{
    QMutexLocker lock(&m_mutex);
    m_channels.erase(login);
}

std::optional<ChannelStatus> VodComponent::channel(const QString &login) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_channels.find(login);
    if (it == m_channels.end())
        return std::nullopt;
    return it->second;
}

QList<ChannelStatus> VodComponent::channels() const
{
    QMutexLocker lock(&m_mutex);
    QList<ChannelStatus> out;
    for (const auto &[login, status] : m_channels)
        out.append(status);
    return out;
}

ChannelStatus VodComponent::totals() const
{
    ChannelStatus sum;
    for (const ChannelStatus &status : channels()) {
        sum.pending += status.pending;
        sum.errored += status.errored;
        sum.processed += status.processed;
        sum.activeDownloads += status.activeDownloads;
    }
    return sum;
}

CircuitComponent::CircuitComponent(std::shared_ptr<const VodComponent> vod)
    : m_vod(std::move(vod))
{
}

EngineComponent::Readiness CircuitComponent::readiness() const
{
    for (const ChannelStatus &status : m_vod->channels()) {
        if (status.circuitOpen())
            return {false, u"circuit breaker open for channel %1 until %2"_s.arg(
                               status.channel,
                               status.circuitOpenUntil.toUTC().toString(Qt::ISODateWithMs))};
    }
    return {true, {}};
}

QJsonObject CircuitComponent::status() const
{
    QJsonObject out;
    for (const ChannelStatus &status : m_vod->channels())
        out.insert(status.channel, status.circuitEnabled ? status.circuitState : u"disabled"_s);
    return out;
}

} // namespace Pitwall
