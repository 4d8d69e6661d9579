#pragma once

#include "core/metrics/counter.h"
#include "core/metrics/gauge.h"
#include "core/metrics/histogram.h"

#include <QString>

#include <map>
#include <memory>

namespace Pitwall {

class MetricsRegistry;

// The series of one channel, looked up once so that the pipeline's hot paths do no map lookups.
struct ChannelMetrics
{
    Counter &downloadsStarted;
    Counter &downloadsSucceeded;
    Counter &downloadsFailed;
    Counter &uploadsSucceeded;
    Counter &uploadsFailed;
    Counter &processingCycles;
    Histogram &downloadDuration;
    Histogram &uploadDuration;
    Histogram &totalDuration;
    Gauge &queueDepth;
    Gauge &circuitOpen;  // 1 only while an enabled breaker is open
    Gauge &circuitState; // 0 closed, 1 half-open, 2 open
    Counter &circuitFailures;
    Counter &chatMessages;
    Counter &chatReconnections;
    Gauge &activeDownloads;
};

// The VOD families on /metrics, with the runbook's names (research §5), every one labelled by
// channel except the provider-wide token and Helix counters. Each event is counted in one place.
class VodMetrics final
{
public:
    explicit VodMetrics(MetricsRegistry &registry);

    // Creates the channel's series (at zero, so they exist from the start) on first use.
    // The map is not locked: only the VOD engine's thread calls this.
    ChannelMetrics &channel(const QString &login);

    void circuitTransition(const QString &channel, const QString &from, const QString &to);
    void tokenRefresh(const QString &provider, bool succeeded);
    // endpoint: "users", "videos", "streams", "token"; status: the HTTP code or "error".
    void helixCall(const QString &endpoint, const QString &status);

private:
    CounterFamily &m_downloadsStarted;
    CounterFamily &m_downloadsSucceeded;
    CounterFamily &m_downloadsFailed;
    CounterFamily &m_uploadsSucceeded;
    CounterFamily &m_uploadsFailed;
    CounterFamily &m_processingCycles;
    HistogramFamily &m_downloadDuration;
    HistogramFamily &m_uploadDuration;
    HistogramFamily &m_totalDuration;
    GaugeFamily &m_queueDepth;
    GaugeFamily &m_circuitOpen;
    GaugeFamily &m_circuitState;
    CounterFamily &m_circuitFailures;
    CounterFamily &m_circuitTransitions;
    CounterFamily &m_chatMessages;
    CounterFamily &m_chatReconnections;
    CounterFamily &m_tokenRefreshes;
    CounterFamily &m_helixCalls;
    GaugeFamily &m_activeDownloads;
    std::map<QString, std::unique_ptr<ChannelMetrics>> m_channels;
};

} // namespace Pitwall
