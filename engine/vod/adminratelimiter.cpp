#include "vod/adminratelimiter.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

AdminRateLimiter::AdminRateLimiter(bool enabled, int limit, std::chrono::seconds window)
    : m_enabled(enabled), m_limit(limit), m_window(window)
    , m_windowMs(std::chrono::milliseconds(window).count())
{
    m_clock.start();
}

std::optional<HttpResponse> AdminRateLimiter::check(const QHostAddress &client)
{
    if (!m_enabled)
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const qint64 now = m_clock.elapsed();
    forgetIdle(now);
    // Dual-stack listeners report IPv4 clients as ::ffff:a.b.c.d; one client, one window.
    bool mapped = false;
    const quint32 ipv4 = client.toIPv4Address(&mapped);
    std::deque<qint64> &times = m_requests[mapped ? QHostAddress(ipv4).toString()
                                                  : client.toString()];
    while (!times.empty() && times.front() <= now - m_windowMs)
        times.pop_front();
    if (int(times.size()) >= m_limit) {
        HttpResponse response = HttpResponse::error(429, u"rate limit exceeded"_s);
        response.setHeader("Retry-After", QByteArray::number(qint64(m_window.count())));
        return response;
    }
    times.push_back(now);
    return std::nullopt;
}

void AdminRateLimiter::forgetIdle(qint64 now)
{
    // Clients that went quiet would otherwise stay in the table for good.
    if (now - m_lastSweep < m_windowMs)
        return;
    m_lastSweep = now;
    for (auto it = m_requests.begin(); it != m_requests.end();) {
        if (it->empty() || it->back() <= now - m_windowMs)
            it = m_requests.erase(it);
        else
            ++it;
    }
}

} // namespace Pitwall
