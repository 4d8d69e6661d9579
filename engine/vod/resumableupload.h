#pragma once

#include "core/http/httpresponse.h"
#include "vod/uploaderror.h"
#include "vod/uploadmetadata.h"
#include "vod/uploadsettings.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkReply;
class QNetworkRequest;

namespace Pitwall {

class ChunkPut;

// One video upload over YouTube's resumable protocol, asynchronous, on the caller's thread:
//
//   POST <initiationUrl> (metadata JSON, X-Upload-Content-Type/-Length) -> Location: session URI
//   PUT  <session> Content-Range: bytes a-b/total (one chunk, streamed from disk by ChunkPut)
//        -> 308 Range: bytes=0-N (next offset N+1) ... -> 200/201 {"id": "<video id>"}
//
// The session URI is announced (sessionStarted) as soon as it exists and every committed offset
// (offsetCommitted) as the server confirms it, so the caller can persist both: resume() after a
// restart continues the same session from a status query (`Content-Range: bytes */total`)
// instead of creating a second video. A 5xx, 429 or network error is retried inside the
// session with a status query and backoff, at most settings.maxAttempts tries per step.
//
// Every request carries `Authorization: Bearer <token>`; a 401 fails with "auth", and the
// caller refreshes the token and resumes the session.
class ResumableUpload final : public QObject
{
    Q_OBJECT

public:
    explicit ResumableUpload(UploadSettings settings, QObject *parent = nullptr);
    ~ResumableUpload() override;
    Q_DISABLE_COPY_MOVE(ResumableUpload)

    // A new session for filePath. False (and nothing happens) while an upload is active.
    bool start(const QString &filePath, const UploadMetadata &metadata,
               const QString &accessToken);
    // Continues a session that an earlier object started: asks the server where it stands
    // first. knownOffset is what was last persisted; the server's answer wins.
    bool resume(const QUrl &sessionUri, qint64 knownOffset, const QString &filePath,
                const QString &accessToken);
    // Used by the next request (after a refresh during a long upload).
    void setAccessToken(const QString &accessToken) { m_accessToken = accessToken; }
    // Stops at once; no signal follows. The session stays resumable on the server.
    void abort();

    bool isActive() const { return m_step != Step::Idle; }
    QUrl sessionUri() const { return m_sessionUri; }
    qint64 committedOffset() const { return m_committed; }
    qint64 totalBytes() const { return m_total; }

signals:
    void sessionStarted(const QUrl &sessionUri);
    void offsetCommitted(qint64 offset);
    // Bytes the server has or is receiving now, for progress displays.
    void bytesSent(qint64 sent, qint64 total);
    void finished(const QString &videoId);
    void failed(const Pitwall::UploadError &error);

private:
    enum class Step { Idle, Initiating, SendingChunk, Querying, Waiting };

    bool begin(const QString &filePath, const QString &accessToken, Step first);
    bool checkFile();
    void runStep(Step step);
    void initiate();
    void sendChunk();
    void queryStatus();
    QNetworkRequest request(const QUrl &url) const;
    QByteArray authorization() const;
    void track(QNetworkReply *reply);
    void replyFinished();
    void sessionAnswered(const HttpResponse &answer);
    void initiationAnswered(int status, QNetworkReply &reply);
    // Records and announces the server's offset; false when a receiver aborted the upload.
    bool committed(qint64 offset);
    void completed(const QByteArray &body);
    void retryLater(UploadError error);
    void fail(UploadError error);
    void stopReply();
    void endChunk();

    const UploadSettings m_settings;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    QPointer<QNetworkReply> m_reply;
    QPointer<ChunkPut> m_chunk;
    Step m_step = Step::Idle;
    Step m_next = Step::Idle; // what the timer runs
    QString m_filePath;
    QString m_contentType;
    QByteArray m_metadataJson;
    QString m_accessToken;
    QUrl m_sessionUri;
    qint64 m_total = 0;
    qint64 m_committed = 0;  // the server's last confirmed offset
    qint64 m_highWater = 0;  // the largest offset confirmed: failures count from here
    int m_failures = 0;      // consecutive failed tries of the current step
};

} // namespace Pitwall
