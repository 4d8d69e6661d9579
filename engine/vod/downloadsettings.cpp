#include "vod/downloadsettings.h"

#include <QRegularExpression>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

qint64 DownloadSettings::rateLimitBytes(const QString &value)
{
    // yt-dlp itself refuses "500KB" although the reference documents it, so the unit is read
    // here and yt-dlp gets plain bytes per second.
    static const QRegularExpression pattern(u"^(\\d{1,12}(?:\\.\\d{1,6})?)\\s*([KMG]?)(?:i?B)?$"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(value.trimmed());
    if (!match.hasMatch())
        return 0;
    const QString unit = match.captured(2).toUpper();
    const double factor = unit == u"K"_s ? 1024.0
                          : unit == u"M"_s ? 1024.0 * 1024.0
                          : unit == u"G"_s ? 1024.0 * 1024.0 * 1024.0
                                           : 1.0;
    const double bytes = std::round(match.captured(1).toDouble() * factor);
    return bytes >= 1.0 && bytes < 1e15 ? qint64(bytes) : 0;
}

std::optional<QString> DownloadSettings::rateLimitRule(const QString &value)
{
    if (value.trimmed().isEmpty() || rateLimitBytes(value) > 0)
        return std::nullopt;
    return u"must be a positive rate in bytes per second such as 500K, 1.5M or 1G"_s;
}

std::optional<QString> DownloadSettings::urlTemplateRule(const QString &value)
{
    const QUrl url(QString(value).replace(u"{id}"_s, u"0"_s), QUrl::StrictMode);
    if (!value.contains(u"{id}"_s) || !url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return u"must be an http(s) URL containing {id}, e.g. https://www.twitch.tv/videos/{id}"_s;
    return std::nullopt;
}

} // namespace Pitwall
