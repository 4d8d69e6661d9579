#include "vod/vodjob.h"

#include "core/http/httprequest.h"
#include "core/log/logcategories.h"
#include "core/log/logcontext.h"
#include "vod/uploadcaps.h"
#include "vod/vodcontext.h"
#include "vod/voddownload.h"
#include "vod/vodupload.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Pitwall {

VodJob::VodJob(VodContext &context, const VodRecord &claimed, DownloadSlots::Ticket ticket,
               QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_record(claimed)
    , m_ticket(ticket)
    , m_correlationId(CorrelationId::generate())
{
    const auto lease = context.config.queue.leaseDuration;
    m_leaseTimer.setInterval(std::max(std::chrono::milliseconds(500), lease / 3));
    connect(&m_leaseTimer, &QTimer::timeout, this, &VodJob::renewLease);
}

VodJob::~VodJob()
{
    releaseSlot();
}

QJsonObject VodJob::logFields() const
{
    return {{u"channel"_s, m_record.channel}, {u"vod_id"_s, m_record.twitchVodId}};
}

void VodJob::start()
{
    const LogContext::Scope scope(m_correlationId, logFields());
    m_total.start();
    m_leaseTimer.start();
    qCInfo(lcVodProcess).noquote() << "claimed" << m_record.twitchVodId << "in state"
                                   << toText(m_record.state);
    if (m_record.state == VodState::Downloaded)
        uploadGate();
    else
        startDownload();
}

void VodJob::adopt(const VodRecord &record)
{
    m_record = record;
    emit changed(m_record);
}

bool VodJob::adopt(const std::optional<VodRecord> &updated, const StoreError &error,
                   const QString &what)
{
    if (!updated) {
        qCWarning(lcVodProcess).noquote() << u"cannot record %1: %2"_s.arg(what, error.message);
        return false;
    }
    adopt(*updated);
    return true;
}

void VodJob::startDownload()
{
    m_download = new VodDownload(m_context, m_record, {m_correlationId, logFields()}, this);
    connect(m_download, &VodDownload::changed, this, qOverload<const VodRecord &>(&VodJob::adopt));
    connect(m_download, &VodDownload::progress, this, [this](qint64 bytes, qint64 total) {
        emit progress(m_record.channel, m_record.twitchVodId, bytes, total);
    });
    connect(m_download, &VodDownload::succeeded, this, &VodJob::onDownloaded);
    connect(m_download, &VodDownload::failed, this, [this](bool counts) {
        releaseSlot();
        emit downloadFailed(counts);
        end();
    });
    connect(m_download, &VodDownload::canceled, this, [this] {
        releaseSlot();
        releaseRow(u"download canceled"_s);
        end();
    });
    m_download->start();
}

void VodJob::onDownloaded(qint64 elapsedMs)
{
    const LogContext::Scope scope(m_correlationId, logFields());
    releaseSlot();
    m_timings.downloadMs = elapsedMs;
    emit downloadSucceeded();
    if (m_record.state == VodState::Downloaded)
        uploadGate();
    else
        end(); // the row changed under us (canceled meanwhile)
}

void VodJob::releaseSlot()
{
    if (m_ticket == 0)
        return;
    m_context.downloadSlots.release(m_ticket);
    m_ticket = 0;
    emit slotReleased();
}

void VodJob::uploadGate()
{
    if (m_stopped)
        return;
    const QueueSettings &queue = m_context.config.queue;
    if (!m_record.youtubeUrl.isEmpty())
        return finishAs(VodState::Done, u"already uploaded"_s, true);
    if (m_record.skipUpload)
        return finishAs(VodState::DoneNoUpload, u"skip_upload is set"_s, true);
    if (!queue.youtubeUploadEnabled)
        return finishAs(VodState::DoneNoUpload, u"YOUTUBE_UPLOAD_ENABLED is off"_s, true);
    if (!queue.uploadsAllowed())
        return finishAs(VodState::DoneNoUpload,
                        u"YOUTUBE_UPLOAD_OWNERSHIP is neither self nor authorized"_s, true);
    if (!QFileInfo::exists(m_record.downloadedPath))
        return finishAs(VodState::Queued, u"the downloaded file is gone"_s, false);
    const QString capped = UploadCaps(m_context, m_record.channel)
                                   .reasonFor(m_record, QDateTime::currentDateTimeUtc());
    if (!capped.isEmpty())
        return finishAs(VodState::Throttled, capped, false);
    startUpload();
}

void VodJob::startUpload()
{
    StoreError error;
    const VodStateChange change{m_record.state, VodState::Uploading, u"upload started"_s,
                                m_context.owner, {}};
    if (!adopt(m_context.store.transition(m_record.id, change, &error), error, u"the upload"_s))
        return end();
    m_upload = new VodUpload(m_context, m_record, {m_correlationId, logFields()}, this);
    connect(m_upload, &VodUpload::changed, this, qOverload<const VodRecord &>(&VodJob::adopt));
    connect(m_upload, &VodUpload::progress, this, [this](qint64 sent, qint64 total) {
        emit progress(m_record.channel, m_record.twitchVodId, sent, total);
    });
    connect(m_upload, &VodUpload::succeeded, this, &VodJob::onUploaded);
    connect(m_upload, &VodUpload::failed, this, &VodJob::end);
    m_upload->start();
}

void VodJob::onUploaded(qint64 elapsedMs)
{
    const LogContext::Scope scope(m_correlationId, logFields());
    m_timings.uploadMs = elapsedMs;
    if (m_record.state != VodState::Done)
        return end(); // YouTube has it, but the row could not say so: a retry resumes the session
    removeMedia();
    const LogContext::Fields fields({{u"upl_ms"_s, elapsedMs}});
    qCInfo(lcVodProcess).noquote() << "uploaded as" << m_record.youtubeUrl;
    complete();
}

void VodJob::finishAs(VodState to, const QString &reason, bool done)
{
    StoreError error;
    VodStateChange change{m_record.state, to, reason, m_context.owner, {}};
    if (to == VodState::Queued)
        change.changes.downloadState(QString()).downloadedPath(QString());
    if (to == VodState::Throttled)
        change.changes.nextAttemptAt(QDateTime::currentDateTimeUtc().addMSecs(
                m_context.config.queue.processInterval.count()));
    const bool applied = adopt(m_context.store.transition(m_record.id, change, &error), error,
                               reason);
    qCInfo(lcVodProcess).noquote() << toText(to) + u": "_s + reason;
    if (applied && to == VodState::Done)
        removeMedia();
    if (applied && done)
        complete();
    else
        end();
}

void VodJob::complete()
{
    m_timings.totalMs = m_total.elapsed();
    {
        const LogContext::Fields fields({{u"total_ms"_s, m_timings.totalMs}});
        qCInfo(lcVodProcess).noquote() << "processed:" << toText(m_record.state);
    }
    emit completed(m_timings);
    end();
}

void VodJob::removeMedia()
{
    // Only once YouTube has the whole video: until then the file is what a resume reads.
    const QString path = m_record.downloadedPath;
    StoreError error;
    if (!path.isEmpty() && (QFile::remove(path) || !QFileInfo::exists(path)))
        m_context.store.clearDownloadedPath(m_record.id, path, &error);
}

void VodJob::renewLease()
{
    const LogContext::Scope scope(m_correlationId, logFields());
    StoreError error;
    const auto lease = m_context.config.queue.leaseDuration;
    if (m_context.store.renewLease(m_record.id, m_context.owner, QDateTime::currentDateTimeUtc(),
                                   lease, &error))
        return;
    if (error.kind != StoreError::Kind::NotFound) {
        qCWarning(lcVodProcess).noquote() << "lease not renewed:" << error.message;
        return;
    }
    qCInfo(lcVodProcess).noquote() << "the row was canceled or reset meanwhile: stopping";
    stopCanceled();
}

void VodJob::releaseRow(const QString &reason)
{
    // After an operator's change only the lease goes; after a stop the row goes back too.
    StoreError error;
    if (m_context.store.release(m_record.id, m_context.owner, reason, &error))
        qCInfo(lcVodProcess).noquote() << "handed back:" << reason;
}

void VodJob::stopCanceled()
{
    if (m_stopped || m_ended)
        return;
    m_stopped = true;
    m_leaseTimer.stop();
    if (m_download && m_download->isRunning()) {
        m_download->cancel(); // its canceled() releases the lease and ends the job
        return;
    }
    if (m_upload)
        m_upload->abort();
    releaseRow(u"canceled"_s);
    end();
}

void VodJob::shutdown()
{
    if (m_ended)
        return;
    const LogContext::Scope scope(m_correlationId, logFields());
    m_stopped = true;
    m_leaseTimer.stop();
    if (m_download)
        m_download->abortNow();
    if (m_upload)
        m_upload->abort();
    releaseSlot();
    releaseRow(u"engine stopping"_s);
    end();
}

void VodJob::end()
{
    if (m_ended)
        return;
    m_ended = true;
    m_leaseTimer.stop();
    releaseSlot();
    emit finished();
}

} // namespace Pitwall
