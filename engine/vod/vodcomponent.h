#pragma once

#include "core/enginecomponent.h"
#include "vod/channelstatus.h"

#include <QAtomicInteger>
#include <QMutex>

#include <map>
#include <optional>

namespace Pitwall {

// The VOD queue as /readyz and /status see it: the engine thread publishes each channel's
// ChannelStatus here, readers on any thread get copies.
class VodComponent final : public EngineComponent
{
public:
    // shared: the same in every channel's /status entry (research §3).
    VodComponent(int maxConcurrentDownloads, QJsonObject retryConfig);

    QString name() const override { return QStringLiteral("vod"); }
    Readiness readiness() const override;
    QJsonObject status() const override;

    void setStarted(bool started) { m_started.storeRelaxed(started); }
    void publish(const ChannelStatus &status);
    // A channel no longer run (reload removed it).
    void forget(const QString &login);
    std::optional<ChannelStatus> channel(const QString &login) const;
    QList<ChannelStatus> channels() const;
    // The counts and active downloads of every channel added up (channel empty).
    ChannelStatus totals() const;
    int maxConcurrentDownloads() const { return m_maxConcurrentDownloads; }
    const QJsonObject &retryConfig() const { return m_retryConfig; }

private:
    const int m_maxConcurrentDownloads;
    const QJsonObject m_retryConfig;
    QAtomicInteger<bool> m_started = false;
    mutable QMutex m_mutex;
    std::map<QString, ChannelStatus> m_channels;
};

// /readyz's "circuit_breaker" check: not ready while any channel's breaker is open, so a load
// balancer or operator sees the outage (research §1.9, scenario 10).
class CircuitComponent final : public EngineComponent
{
public:
    explicit CircuitComponent(std::shared_ptr<const VodComponent> vod);

    QString name() const override { return QStringLiteral("circuit_breaker"); }
    Readiness readiness() const override;
    QJsonObject status() const override;

private:
    const std::shared_ptr<const VodComponent> m_vod;
};

} // namespace Pitwall
