#include "vod/vodmetrics.h"

#include "core/metrics/metricsregistry.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QStringList channelLabel{u"channel"_s};

CounterFamily &channelCounter(MetricsRegistry &registry, const QString &name, const QString &help)
{
    return registry.counter(name, help, channelLabel);
}

GaugeFamily &channelGauge(MetricsRegistry &registry, const QString &name, const QString &help)
{
    return registry.gauge(name, help, channelLabel);
}

} // namespace

VodMetrics::VodMetrics(MetricsRegistry &registry)
    : m_downloadsStarted(channelCounter(registry, u"vod_downloads_started_total"_s,
                                        u"VOD downloads started (one per claimed VOD, not per yt-dlp attempt)"_s))
    , m_downloadsSucceeded(channelCounter(registry, u"vod_downloads_succeeded_total"_s,
                                          u"VOD downloads that produced the complete file"_s))
    , m_downloadsFailed(channelCounter(registry, u"vod_downloads_failed_total"_s,
                                       u"VOD downloads that failed after all their attempts"_s))
    , m_uploadsSucceeded(channelCounter(registry, u"vod_uploads_succeeded_total"_s,
                                        u"VOD uploads confirmed by YouTube"_s))
    , m_uploadsFailed(channelCounter(registry, u"vod_uploads_failed_total"_s,
                                     u"VOD uploads that failed after all their attempts"_s))
    , m_processingCycles(channelCounter(registry, u"vod_processing_cycles_total"_s,
                                        u"Processing cycles that claimed a VOD"_s))
    , m_downloadDuration(registry.histogram(u"vod_download_duration_seconds"_s,
                                            u"Wall time of successful downloads"_s,
                                            {60, 300, 600, 1800, 3600, 7200}, channelLabel))
    , m_uploadDuration(registry.histogram(u"vod_upload_duration_seconds"_s,
                                          u"Wall time of successful uploads"_s,
                                          {30, 60, 120, 300, 600, 1800}, channelLabel))
    , m_totalDuration(registry.histogram(u"vod_processing_total_duration_seconds"_s,
                                         u"Time from claim to done, waiting for a slot included"_s,
                                         {60, 300, 900, 1800, 3600, 7200}, channelLabel))
    , m_queueDepth(channelGauge(registry, u"vod_queue_depth"_s,
                                u"VODs of the channel not yet processed"_s))
    , m_circuitOpen(channelGauge(registry, u"vod_circuit_open"_s,
                                 u"1 while the channel's circuit breaker is open (deprecated)"_s))
    , m_circuitState(channelGauge(registry, u"vod_circuit_breaker_state"_s,
                                  u"Circuit breaker state: 0 closed, 1 half-open, 2 open"_s))
    , m_circuitFailures(channelCounter(registry, u"vod_circuit_breaker_failures_total"_s,
                                       u"Download failures counted by the circuit breaker"_s))
    , m_circuitTransitions(registry.counter(u"circuit_breaker_state_changes_total"_s,
                                            u"Circuit breaker state changes"_s,
                                            {u"channel"_s, u"from"_s, u"to"_s}))
    , m_chatMessages(channelCounter(registry, u"chat_messages_recorded_total"_s,
                                    u"Chat messages stored"_s))
    , m_chatReconnections(channelCounter(registry, u"chat_reconnections_total"_s,
                                         u"Chat IRC reconnections"_s))
    , m_tokenRefreshes(registry.counter(u"oauth_token_refresh_total"_s,
                                        u"OAuth token refreshes by provider and outcome"_s,
                                        {u"provider"_s, u"status"_s}))
    , m_helixCalls(registry.counter(u"helix_api_calls_total"_s,
                                    u"Twitch Helix and token requests by endpoint and status"_s,
                                    {u"endpoint"_s, u"status"_s}))
    , m_activeDownloads(channelGauge(registry, u"vod_active_downloads"_s,
                                     u"Downloads running now"_s))
{
}

ChannelMetrics &VodMetrics::channel(const QString &login)
{
    std::unique_ptr<ChannelMetrics> &slot = m_channels[login];
    if (!slot) {
        const QStringList labels{login};
        slot.reset(new ChannelMetrics{
            m_downloadsStarted.labels(labels), m_downloadsSucceeded.labels(labels),
            m_downloadsFailed.labels(labels), m_uploadsSucceeded.labels(labels),
            m_uploadsFailed.labels(labels), m_processingCycles.labels(labels),
            m_downloadDuration.labels(labels), m_uploadDuration.labels(labels),
            m_totalDuration.labels(labels), m_queueDepth.labels(labels),
            m_circuitOpen.labels(labels), m_circuitState.labels(labels),
            m_circuitFailures.labels(labels), m_chatMessages.labels(labels),
            m_chatReconnections.labels(labels), m_activeDownloads.labels(labels)});
    }
    return *slot;
}

void VodMetrics::circuitTransition(const QString &channel, const QString &from, const QString &to)
{
    m_circuitTransitions.labels({channel, from, to}).inc();
}

void VodMetrics::tokenRefresh(const QString &provider, bool succeeded)
{
    m_tokenRefreshes.labels({provider, succeeded ? u"success"_s : u"failure"_s}).inc();
}

void VodMetrics::helixCall(const QString &endpoint, const QString &status)
{
    m_helixCalls.labels({endpoint, status}).inc();
}

} // namespace Pitwall
