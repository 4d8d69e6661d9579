#pragma once

#include "httptestserver.h"
#include "vod/helixsettings.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QAnyStringView>
#include <QHash>
#include <QList>
#include <QQueue>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <optional>

// A local stand-in for Twitch's Helix API and id.twitch.tv on one real HttpServer: POST
// /oauth2/token (client-credentials and authorization-code grants), GET /helix/users,
// /helix/videos (archive pages with cursors) and /helix/streams, answered as Twitch does (401
// for a missing, unknown or expired token or a foreign Client-Id, 400 for bad parameters,
// Ratelimit-* headers). It records every request with its path, query, headers, body and
// arrival time, and serves scripted responses first: each path has a queue, consumed one
// response per request.
class HelixStandin final
{
public:
    struct Video
    {
        QString id;
        QString title;
        QString duration; // Helix's text, e.g. "1h2m3s"
        QDateTime createdAt;
        QString type = QStringLiteral("archive");
    };

    struct Response
    {
        int status = 200; // 0: answered as usual (to script a later request of the path)
        Pitwall::HttpHeaders headers;
        QByteArray body;
        // Answered this much later (the request stays open meanwhile).
        std::chrono::milliseconds delay{0};
        // Adds Ratelimit-Reset: the serving time's epoch seconds + this.
        std::optional<int> ratelimitResetIn;

        static Response with(int status, QByteArray body, Pitwall::HttpHeaders headers = {},
                             std::chrono::milliseconds delay = {})
        {
            Response response;
            response.status = status;
            response.body = std::move(body);
            response.headers = std::move(headers);
            response.delay = delay;
            return response;
        }
    };

    struct Request
    {
        QByteArray method;
        QString path;
        QUrlQuery query;
        Pitwall::HttpHeaders headers;
        QByteArray body;
        qint64 atMs = 0; // since the stand-in was created, monotonic

        QByteArray header(QByteArrayView name) const { return Pitwall::headerValue(headers, name); }
        QString item(const QString &key) const { return query.queryItemValue(key); }
    };

    static constexpr auto tokenPath = "/oauth2/token";
    static constexpr auto usersPath = "/helix/users";
    static constexpr auto videosPath = "/helix/videos";
    static constexpr auto streamsPath = "/helix/streams";

    HelixStandin(const QString &clientId, const QString &clientSecret);

    bool start();
    // The base of both APIs (TWITCH_HELIX_URL and TWITCH_AUTH_URL).
    QUrl baseUrl() const;
    // Helix settings pointing at this stand-in, with its client id and secret.
    Pitwall::HelixSettings clientSettings() const;

    void addUser(const QString &login, const QString &id);
    // A user's videos, newest first.
    void setVideos(const QString &userId, const QList<Video> &videos);
    void setLive(const QString &login, const QDateTime &startedAt, const QString &title);
    void setOffline(const QString &login);

    // Tokens are <prefix><n>, n counting grants from 1 ("T1", "T2", ...).
    void setTokenPrefix(const QString &prefix) { m_tokenPrefix = prefix; }
    void setTokenLifetime(int seconds) { m_tokenLifetime = seconds; }
    // Every token granted so far is refused from now on.
    void expireTokens() { m_validTokens.clear(); }
    QStringList grantedTokens() const { return m_granted; }
    // A code Twitch's authorize page would have handed to redirectUri: the authorization_code
    // grant trades it once (with the same redirect_uri) for this user token and scopes.
    void addAuthorizationCode(const QString &code, const QString &redirectUri,
                              const QString &accessToken, const QString &refreshToken,
                              const QStringList &scopes);

    // Paths as the constants above name them ("/helix/videos").
    void enqueue(QAnyStringView path, const Response &response);
    // Twitch's error envelope with that status, times times.
    void enqueue(QAnyStringView path, int status, int times = 1);
    // The next times requests of the path are answered as usual.
    void passThrough(QAnyStringView path, int times = 1);

    QList<Request> requests(QAnyStringView path) const;
    int count(QAnyStringView path) const { return int(requests(path).size()); }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    void route(const QByteArray &method, const QString &path,
               Response (HelixStandin::*serve)(const Request &));
    Response grant(const Request &request);
    Response codeGrant(const QString &code, const QString &redirectUri);
    Response users(const Request &request);
    Response videos(const Request &request);
    Response streams(const Request &request);
    // A 401 answer unless the request carries our Client-Id and a valid token.
    std::optional<Response> refusal(const Request &request) const;
    QString cursorFor(int offset);

    HttpTestServer m_server;
    const QString m_clientId;
    const QString m_clientSecret;
    QElapsedTimer m_clock;
    QList<Request> m_requests;
    QHash<QString, QQueue<Response>> m_scripted;
    QHash<QString, QString> m_userIds; // login -> id
    QHash<QString, QList<Video>> m_videos; // user id -> videos
    QHash<QString, std::pair<QDateTime, QString>> m_live; // login -> started_at, title
    QHash<QString, int> m_cursorOffsets;
    QString m_tokenPrefix = QStringLiteral("T");
    int m_tokenLifetime = 3600;
    QStringList m_granted;
    QStringList m_validTokens;
    struct UserGrant
    {
        QString redirectUri;
        QString accessToken;
        QString refreshToken;
        QStringList scopes;
    };
    QHash<QString, UserGrant> m_codes; // unused authorization codes
};
