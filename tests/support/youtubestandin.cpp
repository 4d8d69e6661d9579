#include "youtubestandin.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;

namespace {

const QString uploadPath = u"/upload/youtube/v3/videos"_s;
constexpr qint64 granularity = 256 * 1024;

// Google's error envelope, as the YouTube Data API sends it.
HttpResponse googleError(int status, const QString &reason, const QString &message)
{
    const QJsonObject item{{u"domain"_s, u"youtube.standin"_s},
                           {u"reason"_s, reason},
                           {u"message"_s, message}};
    const QJsonObject error{{u"code"_s, status},
                            {u"message"_s, message},
                            {u"errors"_s, QJsonArray{item}}};
    return HttpResponse::json(QJsonObject{{u"error"_s, error}}, status);
}

struct ContentRange
{
    qint64 first = -1; // -1: "bytes */total"
    qint64 last = -1;
    qint64 total = -1;
};

std::optional<ContentRange> parseContentRange(const QByteArray &value)
{
    static const QRegularExpression pattern(u"^bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+)$"_s);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(value.trimmed()));
    if (!match.hasMatch())
        return std::nullopt;
    ContentRange range;
    if (match.hasCaptured(1)) {
        range.first = match.captured(1).toLongLong();
        range.last = match.captured(2).toLongLong();
    }
    range.total = match.captured(3).toLongLong();
    return range;
}

} // namespace

YouTubeStandIn::YouTubeStandIn(qint64 maxChunkBytes)
    : m_server(std::make_unique<Pitwall::HttpServer>(
              m_router, Pitwall::HttpLimits{maxChunkBytes + 1024, 64 * 1024,
                                            std::chrono::seconds(60), std::chrono::seconds(60)}))
{
    const Pitwall::SyncHandler handler = [this](const HttpRequest &request) {
        return handle(request);
    };
    m_router.addRoute("POST", uploadPath, handler);
    m_router.addRoute("PUT", uploadPath, handler);
}

YouTubeStandIn::~YouTubeStandIn() = default;

bool YouTubeStandIn::start()
{
    QString error;
    if (!m_server->listen(QHostAddress::LocalHost, 0, &error)) {
        qWarning().noquote() << error;
        return false;
    }
    return true;
}

QString YouTubeStandIn::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_server->port());
}

void YouTubeStandIn::failChunkOnce(int n, int status)
{
    m_failChunk = m_chunkPuts + n;
    m_failChunkStatus = status;
}

void YouTubeStandIn::failAlways(int status)
{
    m_failAlways = status;
}

void YouTubeStandIn::rejectInitiation(int status, const QString &reason)
{
    m_rejectStatus = status;
    m_rejectReason = reason;
}

void YouTubeStandIn::expireSessions()
{
    m_sessions.clear();
}

void YouTubeStandIn::clearFailures()
{
    m_failChunk = m_failAlways = m_rejectStatus = 0;
}

HttpResponse YouTubeStandIn::handle(const HttpRequest &request)
{
    Recorded record{request.method, request.path, request.query.toString(QUrl::FullyDecoded),
                    request.headers, request.body.size(), {}, {}, -1, -1, 0};
    HttpResponse response;
    if (request.header("Authorization") != "Bearer " + m_accessToken.toUtf8()) {
        response = googleError(401, u"authError"_s, u"Invalid Credentials"_s);
    } else if (request.method == "POST") {
        record.body = request.body;
        response = initiate(request, record);
    } else {
        response = put(request, record);
    }
    record.status = response.status();
    m_requests.append(record);
    return response;
}

std::optional<HttpResponse> YouTubeStandIn::scriptedFailure(const Recorded &record)
{
    if (m_failAlways)
        return googleError(m_failAlways, u"backendError"_s, u"Backend Error"_s);
    if (record.isChunk() && m_chunkPuts == m_failChunk) {
        m_failChunk = 0;
        return googleError(m_failChunkStatus, u"backendError"_s, u"Service unavailable"_s);
    }
    return std::nullopt;
}

HttpResponse YouTubeStandIn::initiate(const HttpRequest &request, Recorded &record)
{
    if (std::optional<HttpResponse> failure = scriptedFailure(record))
        return *failure;
    if (request.query.queryItemValue(u"uploadType"_s) != u"resumable"_s
        || request.query.queryItemValue(u"part"_s) != u"snippet,status"_s) {
        return googleError(400, u"badRequest"_s, u"uploadType=resumable&part=snippet,status"_s);
    }
    if (m_rejectStatus)
        return googleError(m_rejectStatus, m_rejectReason, u"Refused by the stand-in"_s);
    bool lengthOk = false;
    const qint64 total = request.header("X-Upload-Content-Length").toLongLong(&lengthOk);
    const QJsonObject metadata = QJsonDocument::fromJson(request.body).object();
    if (!lengthOk || total <= 0 || request.header("X-Upload-Content-Type").isEmpty()
        || metadata.value(u"snippet"_s).toObject().value(u"title"_s).toString().isEmpty()) {
        return googleError(400, u"invalidVideoMetadata"_s, u"missing length, type or title"_s);
    }
    const QString id = u"standin-%1"_s.arg(m_nextId++);
    m_sessions.insert(id, {total, QString::fromLatin1(request.header("X-Upload-Content-Type")),
                           metadata, 0, {}, {},
                           std::make_shared<QCryptographicHash>(QCryptographicHash::Sha256)});
    HttpResponse response(200);
    response.setHeader("Location", (baseUrl() + uploadPath
                                    + u"?uploadType=resumable&part=snippet,status&upload_id="_s
                                    + id).toUtf8());
    return response;
}

HttpResponse YouTubeStandIn::put(const HttpRequest &request, Recorded &record)
{
    record.sessionId = request.query.queryItemValue(u"upload_id"_s);
    const std::optional<ContentRange> range = parseContentRange(request.header("Content-Range"));
    if (range) {
        record.rangeFirst = range->first;
        record.rangeLast = range->last;
    }
    if (record.isChunk())
        ++m_chunkPuts;
    if (std::optional<HttpResponse> failure = scriptedFailure(record))
        return *failure;
    const auto found = m_sessions.find(record.sessionId);
    if (found == m_sessions.end())
        return googleError(404, u"notFound"_s, u"No such upload session"_s);
    Session &session = found.value();
    if (!range || range->total != session.total)
        return googleError(400, u"badContentRange"_s, u"Content-Range does not fit"_s);
    if (!session.videoId.isEmpty() || !record.isChunk())
        return sessionState(session);
    return addChunk(session, request, record);
}

HttpResponse YouTubeStandIn::addChunk(Session &session, const HttpRequest &request,
                                      const Recorded &record)
{
    const qint64 length = record.rangeLast - record.rangeFirst + 1;
    const bool last = record.rangeLast == session.total - 1;
    if (length <= 0 || request.body.size() != length || record.rangeLast >= session.total
        || (!last && length % granularity != 0)) {
        return googleError(400, u"badContentRange"_s, u"chunk size or range is wrong"_s);
    }
    // Bytes before the offset were received already; a chunk starting after it leaves a gap,
    // which the server refuses by answering where it stands.
    if (record.rangeFirst <= session.committed) {
        const qint64 skip = session.committed - record.rangeFirst;
        session.hash->addData(QByteArrayView(request.body).sliced(std::min(skip, length)));
        session.committed = std::max(session.committed, record.rangeLast + 1);
    }
    if (session.committed == session.total) {
        session.sha256 = session.hash->result();
        session.videoId = u"vid%1"_s.arg(m_nextId++);
    }
    return sessionState(session);
}

HttpResponse YouTubeStandIn::sessionState(const Session &session) const
{
    if (!session.videoId.isEmpty()) {
        const QJsonObject video{{u"kind"_s, u"youtube#video"_s},
                                {u"id"_s, session.videoId},
                                {u"snippet"_s, session.metadata.value(u"snippet"_s)},
                                {u"status"_s, session.metadata.value(u"status"_s)}};
        return HttpResponse::json(video, 201);
    }
    HttpResponse incomplete(308);
    if (session.committed > 0)
        incomplete.setHeader("Range", "bytes=0-" + QByteArray::number(session.committed - 1));
    return incomplete;
}

int YouTubeStandIn::initiationCount() const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(),
                             [](const Recorded &r) { return r.isInitiation(); }));
}

int YouTubeStandIn::chunksCovering(qint64 first, qint64 last) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(), [&](const Recorded &r) {
        return r.isChunk() && r.rangeFirst <= last && r.rangeLast >= first;
    }));
}

std::optional<YouTubeStandIn::Session> YouTubeStandIn::session(const QString &id) const
{
    const auto found = m_sessions.constFind(id);
    if (found == m_sessions.cend())
        return std::nullopt;
    return found.value();
}

std::optional<YouTubeStandIn::Session> YouTubeStandIn::completedSession() const
{
    std::optional<Session> completed;
    for (const Session &session : m_sessions) {
        if (session.videoId.isEmpty())
            continue;
        if (completed)
            return std::nullopt;
        completed = session;
    }
    return completed;
}
