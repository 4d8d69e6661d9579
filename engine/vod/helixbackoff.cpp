#include "vod/helixbackoff.h"

#include "vod/helixsettings.h"

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Pitwall::HelixBackoff {

namespace {

constexpr std::chrono::milliseconds dateCap = std::chrono::seconds(30);
constexpr std::chrono::milliseconds noHint = std::chrono::seconds(1);

std::optional<qint64> nonNegativeInteger(const QByteArray &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

// An IMF-fixdate ("Sun, 01 Mar 2026 12:00:05 GMT"); Qt's RFC 2822 parser wants a numeric zone.
QDateTime httpDate(const QByteArray &text)
{
    QString value = QString::fromLatin1(text.trimmed());
    if (value.endsWith(u" GMT"))
        value = value.chopped(3) + u"+0000"_s;
    return QDateTime::fromString(value, Qt::RFC2822Date);
}

std::chrono::milliseconds until(const QDateTime &when, const QDateTime &now)
{
    const qint64 ms = now.msecsTo(when);
    return std::clamp(std::chrono::milliseconds(ms), std::chrono::milliseconds(0), dateCap);
}

} // namespace

std::chrono::milliseconds afterFailure(int attempt, const HelixSettings &settings)
{
    std::chrono::milliseconds delay = settings.backoffBase;
    for (int n = 1; n < attempt && delay < settings.backoffCap; ++n)
        delay *= 2;
    return std::min(delay, settings.backoffCap);
}

std::chrono::milliseconds afterRateLimit(const QByteArray &retryAfter,
                                         const QByteArray &ratelimitReset, const QDateTime &now)
{
    if (const std::optional<qint64> seconds = nonNegativeInteger(retryAfter))
        return std::chrono::seconds(*seconds);
    const QDateTime date = httpDate(retryAfter);
    if (date.isValid())
        return until(date, now);
    if (const std::optional<qint64> epoch = nonNegativeInteger(ratelimitReset))
        return until(QDateTime::fromSecsSinceEpoch(*epoch, Qt::UTC), now);
    return noHint;
}

} // namespace Pitwall::HelixBackoff
