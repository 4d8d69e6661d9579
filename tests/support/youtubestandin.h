#pragma once

#include "core/http/httpserver.h"
#include "core/http/router.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

// YouTube's resumable upload endpoint on 127.0.0.1, faithful to the protocol the uploader
// speaks (research §1.5): POST .../upload/youtube/v3/videos?uploadType=resumable creates a
// session (Location: ...&upload_id=<id>); PUTs with Content-Range add bytes to it in order and
// are answered 308 with Range: bytes=0-N until the last byte, then 201 with the video resource;
// `bytes */total` asks where a session stands. Each session keeps its offset and a running
// SHA-256 of the reassembled bytes (not the bytes, so a 1 GiB upload costs no memory). Every
// request is recorded with its headers; failures are scripted.
class YouTubeStandIn
{
public:
    struct Recorded
    {
        QByteArray method;
        QString path;
        QString query;           // as received, percent-decoded
        Pitwall::HttpHeaders headers;
        qint64 bodyBytes = 0;
        QByteArray body;         // initiation requests only
        QString sessionId;       // PUTs: the upload_id addressed
        qint64 rangeFirst = -1;  // chunk PUTs: the Content-Range's bytes
        qint64 rangeLast = -1;
        int status = 0;

        QByteArray header(QByteArrayView name) const { return Pitwall::headerValue(headers, name); }
        bool isInitiation() const { return method == "POST"; }
        bool isStatusQuery() const { return method == "PUT" && rangeFirst < 0; }
        bool isChunk() const { return method == "PUT" && rangeFirst >= 0; }
    };

    struct Session
    {
        qint64 total = 0;
        QString contentType;
        QJsonObject metadata;    // the initiation's JSON body
        qint64 committed = 0;
        QByteArray sha256;       // of the reassembled bytes, once complete
        QString videoId;         // once complete
        std::shared_ptr<QCryptographicHash> hash;
    };

    explicit YouTubeStandIn(qint64 maxChunkBytes = 64 * 1024 * 1024);
    ~YouTubeStandIn();

    bool start();
    // The API base to configure as YOUTUBE_UPLOAD_URL.
    QString baseUrl() const;
    // The token requests must carry (`Authorization: Bearer <token>`); 401 otherwise.
    void setAccessToken(const QString &token) { m_accessToken = token; }

    // Scripted failures. The n-th chunk PUT (1-based, over all sessions) is answered `status`
    // once and none of its bytes are kept.
    void failChunkOnce(int n, int status = 503);
    // Every request is answered `status` (500: a broken backend).
    void failAlways(int status = 500);
    // Initiations are refused with a Google error body: 400 invalidTitle, 403 quotaExceeded...
    void rejectInitiation(int status, const QString &reason);
    // Every session known so far is gone: later requests on them get 404.
    void expireSessions();
    void clearFailures();

    const QList<Recorded> &requests() const { return m_requests; }
    int initiationCount() const;
    // Chunk PUTs whose Content-Range overlaps [first, last].
    int chunksCovering(qint64 first, qint64 last) const;
    std::optional<Session> session(const QString &id) const;
    // The only session that completed, if exactly one did.
    std::optional<Session> completedSession() const;

private:
    Pitwall::HttpResponse initiate(const Pitwall::HttpRequest &request, Recorded &record);
    Pitwall::HttpResponse put(const Pitwall::HttpRequest &request, Recorded &record);
    Pitwall::HttpResponse addChunk(Session &session, const Pitwall::HttpRequest &request,
                                   const Recorded &record);
    Pitwall::HttpResponse sessionState(const Session &session) const;
    std::optional<Pitwall::HttpResponse> scriptedFailure(const Recorded &record);
    Pitwall::HttpResponse handle(const Pitwall::HttpRequest &request);

    Pitwall::Router m_router;
    std::unique_ptr<Pitwall::HttpServer> m_server;
    QString m_accessToken = QStringLiteral("ya29.standin-token");
    QHash<QString, Session> m_sessions;
    QList<Recorded> m_requests;
    int m_chunkPuts = 0;
    int m_failChunk = 0;
    int m_failChunkStatus = 503;
    int m_failAlways = 0;
    int m_rejectStatus = 0;
    QString m_rejectReason;
    int m_nextId = 1;
};
