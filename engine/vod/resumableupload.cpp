#include "vod/resumableupload.h"

#include "core/log/logcategories.h"
#include "vod/chunkput.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The next offset a 308 names: "Range: bytes=0-N" -> N + 1; no Range -> nothing received.
std::optional<qint64> nextOffset(const QByteArray &range)
{
    if (range.isEmpty())
        return 0;
    static const QRegularExpression pattern(u"^bytes=0-(\\d+)$"_s);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(range.trimmed()));
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toLongLong() + 1;
}

UploadError error(UploadError::Kind kind, const QString &message, int status = 0)
{
    return {kind, message, status, {}};
}

UploadError networkError(const QString &message)
{
    return error(UploadError::Kind::Transient, u"network error: "_s + message);
}

} // namespace

ResumableUpload::ResumableUpload(UploadSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { runStep(m_next); });
}

ResumableUpload::~ResumableUpload()
{
    stopReply();
}

bool ResumableUpload::start(const QString &filePath, const UploadMetadata &metadata,
                            const QString &accessToken)
{
    if (isActive())
        return false;
    m_metadataJson = metadata.toJson();
    m_sessionUri.clear();
    m_committed = m_highWater = 0;
    return begin(filePath, accessToken, Step::Initiating);
}

bool ResumableUpload::resume(const QUrl &sessionUri, qint64 knownOffset, const QString &filePath,
                             const QString &accessToken)
{
    if (isActive())
        return false;
    m_sessionUri = sessionUri;
    m_committed = m_highWater = std::max<qint64>(knownOffset, 0);
    return begin(filePath, accessToken, Step::Querying);
}

bool ResumableUpload::begin(const QString &filePath, const QString &accessToken, Step first)
{
    m_filePath = filePath;
    m_accessToken = accessToken;
    m_failures = 0;
    m_total = QFileInfo(filePath).size();
    const QMimeType type = QMimeDatabase().mimeTypeForFile(filePath);
    m_contentType = type.name().startsWith(u"video/"_s) ? type.name()
                                                        : u"application/octet-stream"_s;
    // The first step runs from the event loop, so even a missing file is reported through
    // failed() after start() has returned.
    m_step = Step::Waiting;
    m_next = first;
    m_timer.start(0);
    return true;
}

void ResumableUpload::abort()
{
    m_timer.stop();
    stopReply();
    m_step = Step::Idle;
}

void ResumableUpload::stopReply()
{
    if (m_chunk) {
        m_chunk->disconnect(this);
        m_chunk->abort();
        endChunk();
    }
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->abort();
    m_reply->deleteLater();
    m_reply.clear();
}

void ResumableUpload::endChunk()
{
    // Later: this may run inside one of the chunk's own signals.
    m_chunk->deleteLater();
    m_chunk.clear();
}

bool ResumableUpload::checkFile()
{
    const QFileInfo info(m_filePath);
    if (!info.isFile() || info.size() == 0) {
        fail(error(UploadError::Kind::File, u"%1 is missing or empty"_s.arg(m_filePath)));
        return false;
    }
    if (info.size() != m_total) {
        fail(error(UploadError::Kind::File, u"%1 changed size during the upload (%2 -> %3)"_s.arg(
                m_filePath, QString::number(m_total), QString::number(info.size()))));
        return false;
    }
    return true;
}

void ResumableUpload::runStep(Step step)
{
    if (!checkFile())
        return;
    if (step == Step::Initiating)
        initiate();
    else if (step == Step::Querying)
        queryStatus();
    else
        sendChunk();
}

QNetworkRequest ResumableUpload::request(const QUrl &url) const
{
    QNetworkRequest request(url);
    // A 308 here means "incomplete", never a redirect to follow.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(m_settings.stallTimeout.count()));
    request.setRawHeader("Authorization", authorization());
    return request;
}

QByteArray ResumableUpload::authorization() const
{
    return "Bearer " + m_accessToken.toUtf8();
}

void ResumableUpload::initiate()
{
    m_step = Step::Initiating;
    QNetworkRequest post = request(m_settings.initiationUrl());
    post.setHeader(QNetworkRequest::ContentTypeHeader, "application/json; charset=UTF-8"_ba);
    post.setRawHeader("X-Upload-Content-Type", m_contentType.toLatin1());
    post.setRawHeader("X-Upload-Content-Length", QByteArray::number(m_total));
    track(m_network.post(post, m_metadataJson));
}

void ResumableUpload::sendChunk()
{
    m_step = Step::SendingChunk;
    ChunkPut::Request chunk;
    chunk.url = m_sessionUri;
    chunk.filePath = m_filePath;
    chunk.offset = m_committed;
    chunk.length = std::min(m_settings.chunkSize, m_total - m_committed);
    chunk.stallTimeout = m_settings.stallTimeout;
    chunk.headers = {{"Authorization", authorization()},
                     {"Content-Type", m_contentType.toLatin1()},
                     {"Content-Range", "bytes " + QByteArray::number(chunk.offset) + '-'
                                               + QByteArray::number(chunk.offset + chunk.length - 1)
                                               + '/' + QByteArray::number(m_total)}};
    m_chunk = new ChunkPut(std::move(chunk), this);
    const qint64 base = m_committed;
    connect(m_chunk, &ChunkPut::bytesSent, this, [this, base](qint64 sent) {
        emit bytesSent(base + sent, m_total);
    });
    connect(m_chunk, &ChunkPut::answered, this, [this](const HttpResponse &answer) {
        endChunk();
        sessionAnswered(answer);
    });
    connect(m_chunk, &ChunkPut::failed, this, [this](const QString &message) {
        endChunk();
        retryLater(networkError(message));
    });
    m_chunk->start();
}

void ResumableUpload::queryStatus()
{
    m_step = Step::Querying;
    QNetworkRequest put = request(m_sessionUri);
    put.setHeader(QNetworkRequest::ContentLengthHeader, 0);
    put.setRawHeader("Content-Range", "bytes */" + QByteArray::number(m_total));
    track(m_network.put(put, QByteArray()));
}

void ResumableUpload::track(QNetworkReply *reply)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &ResumableUpload::replyFinished);
}

void ResumableUpload::replyFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply.clear();
    if (!reply)
        return;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        retryLater(networkError(reply->errorString()));
        return;
    }
    if (m_step == Step::Initiating)
        initiationAnswered(status, *reply);
    else
        sessionAnswered(HttpResponse(status, reply->readAll(), {{"Range", reply->rawHeader("Range")}}));
}

void ResumableUpload::initiationAnswered(int status, QNetworkReply &reply)
{
    if (status != 200 && status != 201) {
        const UploadError refused = UploadError::fromResponse(status, reply.readAll(), false);
        return refused.kind == UploadError::Kind::Transient ? retryLater(refused) : fail(refused);
    }
    const QByteArray location = reply.rawHeader("Location");
    if (location.isEmpty()) {
        fail(error(UploadError::Kind::Protocol,
                   u"the upload initiation answered %1 without a Location"_s.arg(status), status));
        return;
    }
    m_sessionUri = reply.url().resolved(QUrl::fromEncoded(location));
    m_failures = 0;
    // The host only: the session URI is what lets anyone add bytes to this upload.
    qCInfo(lcUpload).noquote() << u"upload of %1 (%2 bytes): session started on %3"_s.arg(
            m_filePath, QString::number(m_total), m_sessionUri.host());
    emit sessionStarted(m_sessionUri);
    if (isActive())
        sendChunk();
}

void ResumableUpload::sessionAnswered(const HttpResponse &answer)
{
    const int status = answer.status();
    if (status == 200 || status == 201) {
        completed(answer.body());
        return;
    }
    if (status != 308) {
        const UploadError refused = UploadError::fromResponse(status, answer.body(), true);
        return refused.kind == UploadError::Kind::Transient ? retryLater(refused) : fail(refused);
    }
    const std::optional<qint64> next = nextOffset(answer.header("Range"));
    if (!next || *next > m_total) {
        fail(error(UploadError::Kind::Protocol,
                   u"the session answered 308 with Range \"%1\" for a file of %2 bytes"_s.arg(
                           QString::fromLatin1(answer.header("Range")), QString::number(m_total)),
                   status));
        return;
    }
    const bool advanced = *next > m_highWater;
    const bool sentChunk = m_step == Step::SendingChunk;
    if (!committed(*next))
        return;
    if (advanced)
        m_failures = 0;
    if (*next == m_total || (sentChunk && !advanced)) {
        // Every byte held but no video yet, or a chunk the server took nothing of: ask again.
        retryLater(error(UploadError::Kind::Transient,
                         u"the session made no progress at offset %1"_s.arg(*next), status));
        return;
    }
    sendChunk();
}

bool ResumableUpload::committed(qint64 offset)
{
    m_highWater = std::max(m_highWater, offset);
    if (offset != m_committed) {
        m_committed = offset;
        emit offsetCommitted(offset);
    }
    return isActive(); // a receiver may have aborted
}

void ResumableUpload::completed(const QByteArray &body)
{
    const QString videoId = QJsonDocument::fromJson(body).object().value(u"id"_s).toString();
    if (videoId.isEmpty()) {
        fail(error(UploadError::Kind::Protocol, u"the upload finished without a video id"_s, 200));
        return;
    }
    m_step = Step::Idle;
    m_committed = m_total;
    qCInfo(lcUpload).noquote() << "upload of" << m_filePath << "finished: video" << videoId;
    emit finished(videoId);
}

void ResumableUpload::retryLater(UploadError cause)
{
    ++m_failures;
    if (m_failures >= m_settings.maxAttempts) {
        cause.message += u" (after %1 attempts)"_s.arg(m_failures);
        fail(std::move(cause));
        return;
    }
    // vod-tender's upload schedule: base * 2^n + [0, base) after n failures.
    const std::chrono::milliseconds base = m_settings.backoffBase;
    const std::chrono::milliseconds jitter(
            base.count() > 0 ? QRandomGenerator::global()->bounded(qint64(base.count())) : 0);
    const std::chrono::milliseconds wait = base * (qint64(1) << std::min(m_failures, 20)) + jitter;
    qCWarning(lcUpload).noquote() << "upload of" << m_filePath << "attempt" << m_failures << "of"
                                  << m_settings.maxAttempts << "failed:" << cause.message
                                  << "- retrying in" << wait.count() << "ms";
    m_step = Step::Waiting;
    // Without a session there is nothing to ask about: initiate again. With one, ask the
    // server what it holds before sending anything twice.
    m_next = m_sessionUri.isEmpty() ? Step::Initiating : Step::Querying;
    m_timer.start(wait);
}

void ResumableUpload::fail(UploadError cause)
{
    m_step = Step::Idle;
    qCWarning(lcUpload).noquote() << u"upload of %1 failed (%2): %3"_s.arg(
            m_filePath, cause.className(), cause.message);
    emit failed(cause);
}

} // namespace Pitwall
