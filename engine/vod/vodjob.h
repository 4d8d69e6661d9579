#pragma once

#include "relay/storeerror.h"
#include "vod/downloadslots.h"
#include "vod/vodrecord.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Pitwall {

class VodDownload;
class VodUpload;
struct VodContext;

// One claimed VOD on its way through the queue (research §1.4 with the §10 fixes): the download
// (holding a download slot), the upload gate, the upload, the file removed after a confirmed
// upload. The lease is renewed while it works; when a renewal finds the row taken away (the
// operator canceled or reset it, maybe on another node) the work stops. Every log line carries
// the job's correlation id and the VOD.
class VodJob final : public QObject
{
    Q_OBJECT

public:
    struct Timings
    {
        std::optional<qint64> downloadMs;
        std::optional<qint64> uploadMs;
        qint64 totalMs = 0;
    };

    // ticket: the download slot held for it; 0 when the download is already complete.
    VodJob(VodContext &context, const VodRecord &claimed, DownloadSlots::Ticket ticket,
           QObject *parent = nullptr);
    ~VodJob() override;

    void start();
    // The operator canceled the row: stop whatever runs; the row is left as the store made it.
    void stopCanceled();
    // The engine stops: end the work now (yt-dlp is killed, the upload aborted) and hand the row
    // back, so a restart or another node resumes it (.part file, upload session).
    void shutdown();

    const VodRecord &record() const { return m_record; }
    bool holdsSlot() const { return m_ticket != 0; }

signals:
    void changed(const Pitwall::VodRecord &record);
    void progress(const QString &channel, const QString &vodId, qint64 bytes, qint64 total);
    // For the circuit breaker: a download cycle ended; `counts` when it was the media's fault.
    void downloadSucceeded();
    void downloadFailed(bool counts);
    // The download slot is free again: the pipeline may claim more.
    void slotReleased();
    // The VOD reached done or done_no_upload.
    void completed(const Pitwall::VodJob::Timings &timings);
    // Always last, once; the pipeline deletes the job then.
    void finished();

private:
    QJsonObject logFields() const;
    void adopt(const VodRecord &record);
    // Takes the store's answer as the job's row; false when it failed.
    bool adopt(const std::optional<VodRecord> &updated, const StoreError &error,
               const QString &what);
    void startDownload();
    void onDownloaded(qint64 elapsedMs);
    void releaseSlot();
    void uploadGate();
    void startUpload();
    void onUploaded(qint64 elapsedMs);
    void finishAs(VodState to, const QString &reason, bool done);
    void complete();
    void removeMedia();
    void renewLease();
    void releaseRow(const QString &reason);
    void end();

    VodContext &m_context;
    VodRecord m_record;
    DownloadSlots::Ticket m_ticket;
    const QString m_correlationId;
    QPointer<VodDownload> m_download;
    QPointer<VodUpload> m_upload;
    QTimer m_leaseTimer;
    QElapsedTimer m_total;
    Timings m_timings;
    bool m_stopped = false; // canceled or shutting down: no more work, no more row changes
    bool m_ended = false;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::VodJob::Timings)
