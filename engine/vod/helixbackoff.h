#pragma once

#include <QByteArray>
#include <QDateTime>

#include <chrono>

namespace Pitwall {

struct HelixSettings;

// How long a Helix call waits before its next attempt (research §1.1).
namespace HelixBackoff {

// After a transport error or a 5xx on attempt n (1-based): base * 2^(n-1), at most the cap.
std::chrono::milliseconds afterFailure(int attempt, const HelixSettings &settings);

// After a 429: Retry-After in seconds as given, or as an HTTP-date (at most 30 s away);
// otherwise until the Ratelimit-Reset epoch (at most 30 s); otherwise 1 s. Never negative.
std::chrono::milliseconds afterRateLimit(const QByteArray &retryAfter,
                                         const QByteArray &ratelimitReset, const QDateTime &now);

} // namespace HelixBackoff

} // namespace Pitwall
