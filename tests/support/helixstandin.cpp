#include "helixstandin.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponder;
using Pitwall::HttpResponse;

namespace {

constexpr int defaultPageSize = 20;
constexpr int maxPageSize = 100;

HelixStandin::Response json(int status, const QJsonObject &object)
{
    return HelixStandin::Response::with(status,
                                        QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Twitch's error envelope: {"error":"Bad Request","status":400,"message":"..."}.
HelixStandin::Response failure(int status, const QString &message)
{
    return json(status, {{u"error"_s, QString::fromLatin1(HttpResponse::reasonPhrase(status))},
                         {u"status"_s, status},
                         {u"message"_s, message}});
}

HelixStandin::Response data(const QJsonArray &items, const QJsonObject &extra = {})
{
    QJsonObject object = extra;
    object.insert(u"data"_s, items);
    return json(200, object);
}

QString rfc3339(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

} // namespace

HelixStandin::HelixStandin(const QString &clientId, const QString &clientSecret)
    : m_clientId(clientId)
    , m_clientSecret(clientSecret)
{
    m_clock.start();
    route("POST", QString::fromLatin1(tokenPath), &HelixStandin::grant);
    route("GET", QString::fromLatin1(usersPath), &HelixStandin::users);
    route("GET", QString::fromLatin1(videosPath), &HelixStandin::videos);
    route("GET", QString::fromLatin1(streamsPath), &HelixStandin::streams);
}

bool HelixStandin::start()
{
    return m_server.start();
}

QUrl HelixStandin::baseUrl() const
{
    return QUrl(m_server.url(u"/"_s));
}

Pitwall::HelixSettings HelixStandin::clientSettings() const
{
    Pitwall::HelixSettings settings;
    settings.helixUrl = baseUrl();
    settings.authUrl = baseUrl();
    settings.clientId = m_clientId;
    settings.clientSecret = m_clientSecret;
    return settings;
}

void HelixStandin::addUser(const QString &login, const QString &id)
{
    m_userIds.insert(login, id);
}

void HelixStandin::setVideos(const QString &userId, const QList<Video> &videos)
{
    m_videos.insert(userId, videos);
}

void HelixStandin::setLive(const QString &login, const QDateTime &startedAt, const QString &title)
{
    m_live.insert(login, {startedAt, title});
}

void HelixStandin::setOffline(const QString &login)
{
    m_live.remove(login);
}

void HelixStandin::enqueue(QAnyStringView path, const Response &response)
{
    m_scripted[path.toString()].enqueue(response);
}

void HelixStandin::enqueue(QAnyStringView path, int status, int times)
{
    for (int i = 0; i < times; ++i)
        enqueue(path, failure(status, u"scripted"_s));
}

void HelixStandin::passThrough(QAnyStringView path, int times)
{
    for (int i = 0; i < times; ++i)
        enqueue(path, Response::with(0, {}));
}

QList<HelixStandin::Request> HelixStandin::requests(QAnyStringView path) const
{
    const QString wanted = path.toString();
    QList<Request> matching;
    for (const Request &request : m_requests) {
        if (request.path == wanted)
            matching.append(request);
    }
    return matching;
}

void HelixStandin::route(const QByteArray &method, const QString &path,
                         Response (HelixStandin::*serve)(const Request &))
{
    m_server.router().addRoute(method, path, [this, serve](const HttpRequest &http,
                                                           HttpResponder responder) {
        const Request request{http.method, http.path, http.query, http.headers, http.body,
                              m_clock.elapsed()};
        m_requests.append(request);
        QQueue<Response> &scripted = m_scripted[request.path];
        Response response = scripted.isEmpty() ? Response::with(0, {}) : scripted.dequeue();
        if (response.status == 0)
            response = (this->*serve)(request);

        HttpResponse answer(response.status, response.body, response.headers);
        if (!response.body.isEmpty() && answer.header("Content-Type").isEmpty())
            answer.setHeader("Content-Type", "application/json; charset=utf-8");
        if (response.ratelimitResetIn) {
            const qint64 reset = QDateTime::currentSecsSinceEpoch() + *response.ratelimitResetIn;
            answer.setHeader("Ratelimit-Reset", QByteArray::number(reset));
        }
        if (response.delay.count() == 0)
            return responder.send(answer);
        auto later = std::make_shared<HttpResponder>(std::move(responder));
        QTimer::singleShot(response.delay, &m_server.server(),
                           [later, answer] { later->send(answer); });
    });
}

HelixStandin::Response HelixStandin::grant(const Request &request)
{
    const QUrlQuery form(QString::fromUtf8(request.body));
    const auto field = [&form](const QString &key) {
        return form.queryItemValue(key, QUrl::FullyDecoded);
    };
    const QString grantType = field(u"grant_type"_s);
    if (grantType != u"client_credentials" && grantType != u"authorization_code")
        return failure(400, u"unsupported grant type"_s);
    if (field(u"client_id"_s) != m_clientId)
        return failure(400, u"invalid client"_s);
    if (field(u"client_secret"_s) != m_clientSecret)
        return failure(403, u"invalid client secret"_s);
    if (grantType == u"authorization_code")
        return codeGrant(field(u"code"_s), field(u"redirect_uri"_s));
    const QString token = m_tokenPrefix + QString::number(m_granted.size() + 1);
    m_granted.append(token);
    m_validTokens.append(token);
    return json(200, {{u"access_token"_s, token},
                      {u"expires_in"_s, m_tokenLifetime},
                      {u"token_type"_s, u"bearer"_s}});
}

void HelixStandin::addAuthorizationCode(const QString &code, const QString &redirectUri,
                                       const QString &accessToken, const QString &refreshToken,
                                       const QStringList &scopes)
{
    m_codes.insert(code, {redirectUri, accessToken, refreshToken, scopes});
}

// Twitch's answers: 400 "Invalid authorization code" for an unknown or used code, 400 for a
// redirect_uri other than the authorize request's; a code is spent by its first use.
HelixStandin::Response HelixStandin::codeGrant(const QString &code, const QString &redirectUri)
{
    if (!m_codes.contains(code))
        return failure(400, u"Invalid authorization code"_s);
    const UserGrant grant = m_codes.take(code);
    if (grant.redirectUri != redirectUri)
        return failure(400, u"Parameter redirect_uri does not match registered URI"_s);
    m_validTokens.append(grant.accessToken);
    return json(200, {{u"access_token"_s, grant.accessToken},
                      {u"expires_in"_s, m_tokenLifetime},
                      {u"refresh_token"_s, grant.refreshToken},
                      {u"scope"_s, QJsonArray::fromStringList(grant.scopes)},
                      {u"token_type"_s, u"bearer"_s}});
}

std::optional<HelixStandin::Response> HelixStandin::refusal(const Request &request) const
{
    if (request.header("Client-Id").isEmpty())
        return failure(401, u"Client ID is missing"_s);
    const QByteArray authorization = request.header("Authorization");
    const QString token = QString::fromUtf8(authorization.mid(7));
    if (!authorization.startsWith("Bearer ") || !m_validTokens.contains(token))
        return failure(401, u"Invalid OAuth token"_s);
    if (QString::fromUtf8(request.header("Client-Id")) != m_clientId)
        return failure(401, u"Client ID and OAuth token do not match"_s);
    return std::nullopt;
}

HelixStandin::Response HelixStandin::users(const Request &request)
{
    if (const std::optional<Response> refused = refusal(request))
        return *refused;
    QJsonArray found;
    for (const QString &login : request.query.allQueryItemValues(u"login"_s)) {
        if (!m_userIds.contains(login))
            continue;
        found.append(QJsonObject{{u"id"_s, m_userIds.value(login)},
                                 {u"login"_s, login},
                                 {u"display_name"_s, login},
                                 {u"type"_s, u""_s},
                                 {u"broadcaster_type"_s, u"affiliate"_s},
                                 {u"created_at"_s, u"2019-01-01T00:00:00Z"_s}});
    }
    return data(found);
}

HelixStandin::Response HelixStandin::videos(const Request &request)
{
    if (const std::optional<Response> refused = refusal(request))
        return *refused;
    const QString userId = request.item(u"user_id"_s);
    if (userId.isEmpty())
        return failure(400, u"Missing required parameter \"user_id\""_s);
    bool ok = true;
    const int first = request.query.hasQueryItem(u"first"_s)
            ? request.item(u"first"_s).toInt(&ok) : defaultPageSize;
    if (!ok || first < 1 || first > maxPageSize)
        return failure(400, u"Invalid value for \"first\""_s);
    const QString after = request.item(u"after"_s);
    if (!after.isEmpty() && !m_cursorOffsets.contains(after))
        return failure(400, u"Invalid value for \"after\""_s);
    const QString type = request.query.hasQueryItem(u"type"_s) ? request.item(u"type"_s)
                                                               : u"all"_s;

    QList<Video> listed;
    for (const Video &video : m_videos.value(userId)) {
        if (type == u"all" || video.type == type)
            listed.append(video);
    }
    const int offset = after.isEmpty() ? 0 : m_cursorOffsets.value(after);
    const QString login = m_userIds.key(userId);
    QJsonArray page;
    for (const Video &video : listed.mid(offset, first)) {
        page.append(QJsonObject{
                {u"id"_s, video.id},
                {u"stream_id"_s, QJsonValue::Null},
                {u"user_id"_s, userId},
                {u"user_login"_s, login},
                {u"user_name"_s, login},
                {u"title"_s, video.title},
                {u"description"_s, u""_s},
                {u"created_at"_s, rfc3339(video.createdAt)},
                {u"published_at"_s, rfc3339(video.createdAt)},
                {u"url"_s, u"https://www.twitch.tv/videos/"_s + video.id},
                {u"viewable"_s, u"public"_s},
                {u"view_count"_s, 0},
                {u"language"_s, u"en"_s},
                {u"type"_s, video.type},
                {u"duration"_s, video.duration},
                {u"muted_segments"_s, QJsonValue::Null}});
    }
    QJsonObject pagination;
    if (offset + first < listed.size())
        pagination.insert(u"cursor"_s, cursorFor(offset + first));
    Response response = data(page, {{u"pagination"_s, pagination}});
    response.headers = {{"Ratelimit-Limit", "800"}, {"Ratelimit-Remaining", "799"}};
    response.ratelimitResetIn = 60;
    return response;
}

HelixStandin::Response HelixStandin::streams(const Request &request)
{
    if (const std::optional<Response> refused = refusal(request))
        return *refused;
    QJsonArray live;
    for (const QString &login : request.query.allQueryItemValues(u"user_login"_s)) {
        if (!m_live.contains(login))
            continue;
        const auto &[startedAt, title] = m_live.value(login);
        live.append(QJsonObject{{u"id"_s, u"40952121085"_s},
                                {u"user_id"_s, m_userIds.value(login)},
                                {u"user_login"_s, login},
                                {u"user_name"_s, login},
                                {u"type"_s, u"live"_s},
                                {u"title"_s, title},
                                {u"viewer_count"_s, 42},
                                {u"started_at"_s, rfc3339(startedAt)},
                                {u"language"_s, u"en"_s}});
    }
    return data(live, {{u"pagination"_s, QJsonObject{}}});
}

QString HelixStandin::cursorFor(int offset)
{
    const QString existing = m_cursorOffsets.key(offset);
    if (!existing.isEmpty())
        return existing;
    const QString cursor = u"c"_s + QString::number(m_cursorOffsets.size() + 1);
    m_cursorOffsets.insert(cursor, offset);
    return cursor;
}
