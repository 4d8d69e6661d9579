#include "vod/vodupload.h"

#include "core/log/logcategories.h"
#include "vod/oauthrefresher.h"
#include "vod/uploadmetadata.h"
#include "vod/vodcontext.h"
#include "vod/vodmetrics.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// YouTube's upload quota resets at midnight Pacific time.
QDateTime nextQuotaReset(const QDateTime &at)
{
    const QTimeZone pacific("America/Los_Angeles");
    if (!pacific.isValid())
        return at.addDays(1);
    const QDateTime local = at.toTimeZone(pacific);
    return QDateTime(local.date().addDays(1), QTime(0, 0), pacific).toUTC();
}

UploadError tokenError(const QString &message)
{
    return {UploadError::Kind::Auth, u"no usable YouTube token: %1"_s.arg(message), 0, QString()};
}

} // namespace

VodUpload::VodUpload(VodContext &context, const VodRecord &record, LogContext::Snapshot log,
                     QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_record(record)
    , m_log(std::move(log))
    , m_upload(context.config.upload)
    , m_sessionUri(record.uploadSessionUri)
    , m_offset(record.uploadOffset)
{
    connect(&m_upload, &ResumableUpload::sessionStarted, this,
            [this](const QUrl &uri) { persistSession(uri, 0); });
    connect(&m_upload, &ResumableUpload::offsetCommitted, this,
            [this](qint64 offset) { persistSession(m_upload.sessionUri(), offset); });
    connect(&m_upload, &ResumableUpload::bytesSent, this, &VodUpload::progress);
    connect(&m_upload, &ResumableUpload::finished, this, &VodUpload::onFinished);
    connect(&m_upload, &ResumableUpload::failed, this, &VodUpload::onFailed);
    if (OAuthRefresher *refresher = m_context.refresher) {
        connect(refresher, &OAuthRefresher::tokenReady, this, &VodUpload::onTokenReady);
        connect(refresher, &OAuthRefresher::tokenUnavailable, this,
                &VodUpload::onTokenUnavailable);
    }
}

void VodUpload::start()
{
    m_clock.start();
    requestToken();
}

void VodUpload::abort()
{
    m_aborted = true;
    m_waitingForToken = false;
    m_upload.abort();
}

void VodUpload::requestToken()
{
    if (!m_context.refresher) {
        // The job only uploads when uploads are allowed, and then the engine has a refresher.
        QMetaObject::invokeMethod(this, [this] {
            if (!m_aborted)
                onFailed(tokenError(u"uploads are not configured"_s));
        }, Qt::QueuedConnection);
        return;
    }
    m_waitingForToken = true;
    m_context.refresher->ensureFresh(m_record.channel);
}

void VodUpload::onTokenReady(const QString &channel, const OAuthToken &token)
{
    // Every upload of the channel hears the answer; any fresh token of the channel will do.
    if (!m_waitingForToken || channel != m_record.channel)
        return;
    m_waitingForToken = false;
    begin(token.accessToken);
}

void VodUpload::onTokenUnavailable(const QString &channel, const QString &message)
{
    if (!m_waitingForToken || channel != m_record.channel)
        return;
    m_waitingForToken = false;
    onFailed(tokenError(message));
}

void VodUpload::begin(const QString &accessToken)
{
    const LogContext::Scope scope(m_log);
    if (m_sessionUri.isValid() && !m_sessionUri.isEmpty()) {
        qCInfo(lcUpload).noquote() << "resuming upload session at byte" << m_offset;
        m_upload.resume(m_sessionUri, m_offset, m_record.downloadedPath, accessToken);
        return;
    }
    UploadMetadata::Source source;
    source.vodId = m_record.twitchVodId;
    source.channel = m_record.channel;
    source.title = m_record.title;
    source.date = m_record.date;
    // The public Twitch page, whatever VOD_URL_TEMPLATE fetched the media from.
    source.url = u"https://www.twitch.tv/videos/%1"_s.arg(m_record.twitchVodId);
    source.customDescription = m_record.description;
    m_upload.start(m_record.downloadedPath, UploadMetadata::fromVod(source), accessToken);
}

void VodUpload::persistSession(const QUrl &uri, qint64 offset)
{
    m_sessionUri = uri;
    m_offset = offset;
    StoreError error;
    if (!m_context.store.saveUploadSession(m_record.id, m_context.owner, uri.toString(), offset,
                                           &error))
        qCWarning(lcUpload).noquote() << "cannot persist the upload session:" << error.message;
}

void VodUpload::onFailed(const UploadError &error)
{
    if (m_aborted)
        return;
    const LogContext::Scope scope(m_log);
    if (error.kind == UploadError::Kind::SessionExpired && !m_restartedSession) {
        m_restartedSession = true;
        qCWarning(lcUpload).noquote() << "upload session expired, starting a new one";
        persistSession(QUrl(), 0);
        requestToken();
        return;
    }
    if (error.kind == UploadError::Kind::Auth && error.httpStatus == 401 && !m_refreshedToken) {
        m_refreshedToken = true;
        qCWarning(lcUpload).noquote() << "YouTube refused the token, asking for a fresh one";
        requestToken();
        return;
    }
    recordFailure(error);
    emit failed();
}

void VodUpload::onFinished(const QString &videoId)
{
    const LogContext::Scope scope(m_log);
    ChannelMetrics &metrics = m_context.metrics.channel(m_record.channel);
    metrics.uploadsSucceeded.inc();
    metrics.uploadDuration.observe(double(m_clock.elapsed()) / 1000.0);
    StoreError error;
    adopt(m_context.store.markUploaded(m_record.id, m_context.owner,
                                       u"https://www.youtube.com/watch?v=%1"_s.arg(videoId),
                                       QDateTime::currentDateTimeUtc(), &error),
          error);
    emit succeeded(m_clock.elapsed());
}

void VodUpload::recordFailure(const UploadError &error)
{
    m_context.metrics.channel(m_record.channel).uploadsFailed.inc();
    {
        const LogContext::Fields fields({{u"upl_ms"_s, m_clock.elapsed()},
                                         {u"failure"_s, error.className()}});
        qCWarning(lcVodProcess).noquote() << "upload failed:" << error.message;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    StoreError storeError;
    if (error.kind != UploadError::Kind::Quota) {
        adopt(m_context.store.recordUploadFailure(m_record.id, m_context.owner,
                                                  {error.message, !error.isRetryable()},
                                                  m_context.uploadRetry, now, &storeError),
              storeError);
        return;
    }
    // Nothing to gain before the quota resets.
    VodStateChange change{m_record.state, VodState::Throttled, u"YouTube quota exceeded"_s,
                          m_context.owner, {}};
    change.changes.processingError(u"upload: "_s + error.message).nextAttemptAt(nextQuotaReset(now));
    adopt(m_context.store.transition(m_record.id, change, &storeError), storeError);
}

void VodUpload::adopt(const std::optional<VodRecord> &updated, const StoreError &error)
{
    if (!updated) {
        qCWarning(lcVodProcess).noquote() << "cannot record the upload's outcome:" << error.message;
        return;
    }
    m_record = *updated;
    emit changed(m_record);
}

} // namespace Pitwall
