#pragma once

#include "core/http/httpresponse.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QMutex>

#include <chrono>
#include <deque>
#include <optional>

namespace Pitwall {

// A sliding-window log per client address in front of the VOD admin and mutating routes
// (RATE_LIMIT_REQUESTS_PER_IP per RATE_LIMIT_WINDOW_SECONDS). The TCP peer is the client:
// X-Forwarded-For is not trusted, a client could write it to get a fresh window per request.
class AdminRateLimiter final
{
public:
    AdminRateLimiter(bool enabled, int limit, std::chrono::seconds window);

    // nullopt when the request may pass (and is counted), otherwise the 429 to send.
    std::optional<HttpResponse> check(const QHostAddress &client);

private:
    void forgetIdle(qint64 now);

    const bool m_enabled;
    const int m_limit;
    const std::chrono::seconds m_window;
    const qint64 m_windowMs;
    QMutex m_mutex;
    QElapsedTimer m_clock;
    QHash<QString, std::deque<qint64>> m_requests; // per client, request times in ms, oldest first
    qint64 m_lastSweep = 0;
};

} // namespace Pitwall
