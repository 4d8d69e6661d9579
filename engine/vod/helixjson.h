#pragma once

#include "vod/helixstream.h"
#include "vod/helixvideo.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Pitwall {

// The bodies of Helix's answers, as far as the VOD queue reads them. Each returns
// std::nullopt (and *error) for a body that is not Helix's shape.
namespace HelixJson {

// "<what> failed: <status> (<the body's first 4 KiB>)", the error of an unexpected status.
QString failure(const QString &what, int status, const QByteArray &body);

// GET /helix/users: data[0].id; an empty list is "twitch user <login> not found".
std::optional<QString> userId(const QByteArray &body, const QString &login, QString *error);
// GET /helix/videos: data[] {id, title, duration, created_at} and pagination.cursor.
std::optional<HelixVideoPage> videoPage(const QByteArray &body, QString *error);
// GET /helix/streams: data[] {started_at, title}.
std::optional<QList<HelixStream>> streams(const QByteArray &body, QString *error);

} // namespace HelixJson

} // namespace Pitwall
