#include "vod/uploadsettings.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QUrl UploadSettings::initiationUrl() const
{
    QUrl url = uploadUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u"/upload/youtube/v3/videos"_s);
    // The comma stays literal: it is what Google's own clients send.
    url.setQuery(u"uploadType=resumable&part=snippet,status"_s);
    return url;
}

std::optional<QString> UploadSettings::chunkSizeRule(qint64 bytes)
{
    constexpr qint64 maximum = qint64(1024) * 1024 * 1024;
    if (bytes <= 0 || bytes % chunkGranularity != 0 || bytes > maximum)
        return u"must be a multiple of 256 KiB (262144 bytes) between 256 KiB and 1 GiB"_s;
    return std::nullopt;
}

} // namespace Pitwall
