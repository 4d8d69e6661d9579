#pragma once

#include "core/log/logcontext.h"
#include "relay/storeerror.h"
#include "vod/oauthtoken.h"
#include "vod/resumableupload.h"
#include "vod/uploaderror.h"
#include "vod/vodrecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

namespace Pitwall {

struct VodContext;

// The upload stage of one claimed VOD: a fresh YouTube token from the refresher, then the
// resumable upload, continuing the row's persisted session when it has one. The session URI and
// every confirmed offset are written to the row as they happen, so a crash or restart resumes
// the same session instead of creating a second video. An expired session starts a new one
// once, a 401 gets one fresh token. The outcome is written to the row: done with its YouTube
// URL, throttled until the quota resets, or an upload failure (retried in a later cycle unless
// YouTube refused the video itself).
class VodUpload final : public QObject
{
    Q_OBJECT

public:
    VodUpload(VodContext &context, const VodRecord &record, LogContext::Snapshot log,
              QObject *parent = nullptr);

    void start();
    // Stops at once, no signal follows; the session stays resumable.
    void abort();

signals:
    void changed(const Pitwall::VodRecord &record);
    void progress(qint64 sent, qint64 total);
    // After the row was updated (changed() came first).
    void succeeded(qint64 elapsedMs);
    void failed();

private:
    void requestToken();
    void onTokenReady(const QString &channel, const Pitwall::OAuthToken &token);
    void onTokenUnavailable(const QString &channel, const QString &message);
    void begin(const QString &accessToken);
    void persistSession(const QUrl &uri, qint64 offset);
    void onFinished(const QString &videoId);
    void onFailed(const UploadError &error);
    void recordFailure(const UploadError &error);
    void adopt(const std::optional<VodRecord> &updated, const StoreError &error);

    VodContext &m_context;
    VodRecord m_record;
    const LogContext::Snapshot m_log;
    ResumableUpload m_upload;
    QElapsedTimer m_clock;
    QUrl m_sessionUri;
    qint64 m_offset = 0;
    bool m_waitingForToken = false;
    bool m_refreshedToken = false;
    bool m_restartedSession = false;
    bool m_aborted = false;
};

} // namespace Pitwall
