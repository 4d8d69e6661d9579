#include "vod/helixjson.h"

#include "vod/twitchduration.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall::HelixJson {

namespace {

// The top-level object's "data" array.
std::optional<QJsonObject> envelope(const QByteArray &body, QJsonArray *data, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = u"helix answered with no JSON object: "_s
                 + (document.isNull() ? parseError.errorString() : u"not an object"_s);
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    if (!object.value(u"data"_s).isArray()) {
        *error = u"helix answered without a data array"_s;
        return std::nullopt;
    }
    *data = object.value(u"data"_s).toArray();
    return object;
}

QDateTime rfc3339(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

constexpr qsizetype bodyExcerpt = 4096;

} // namespace

QString failure(const QString &what, int status, const QByteArray &body)
{
    return u"%1 failed: %2 (%3)"_s.arg(what).arg(status).arg(
            QString::fromUtf8(body.left(bodyExcerpt)));
}

std::optional<QString> userId(const QByteArray &body, const QString &login, QString *error)
{
    QJsonArray data;
    if (!envelope(body, &data, error))
        return std::nullopt;
    const QString id = data.at(0).toObject().value(u"id"_s).toString();
    if (id.isEmpty()) {
        *error = u"twitch user %1 not found"_s.arg(login);
        return std::nullopt;
    }
    return id;
}

std::optional<HelixVideoPage> videoPage(const QByteArray &body, QString *error)
{
    QJsonArray data;
    const std::optional<QJsonObject> object = envelope(body, &data, error);
    if (!object)
        return std::nullopt;
    HelixVideoPage page;
    page.cursor = object->value(u"pagination"_s).toObject().value(u"cursor"_s).toString();
    for (const QJsonValue &entry : std::as_const(data)) {
        const QJsonObject video = entry.toObject();
        HelixVideo parsed{video.value(u"id"_s).toString(), video.value(u"title"_s).toString(),
                          parseTwitchDuration(video.value(u"duration"_s).toString()).value_or(0),
                          rfc3339(video.value(u"created_at"_s))};
        if (parsed.id.isEmpty()) {
            *error = u"helix listed a video without an id"_s;
            return std::nullopt;
        }
        page.videos.append(std::move(parsed));
    }
    return page;
}

std::optional<QList<HelixStream>> streams(const QByteArray &body, QString *error)
{
    QJsonArray data;
    if (!envelope(body, &data, error))
        return std::nullopt;
    QList<HelixStream> live;
    for (const QJsonValue &entry : std::as_const(data)) {
        const QJsonObject stream = entry.toObject();
        live.append({rfc3339(stream.value(u"started_at"_s)), stream.value(u"title"_s).toString()});
    }
    return live;
}

} // namespace Pitwall::HelixJson
