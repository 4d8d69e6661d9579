#pragma once

#include "core/log/logcontext.h"
#include "relay/storeerror.h"
#include "vod/downloadresult.h"
#include "vod/vodrecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace Pitwall {

class DownloadAttempts;
class DownloadProgress;
struct VodContext;

// The download stage of one claimed VOD: the bounded yt-dlp attempts, progress for the console
// (every change) and for the row (about once a second), and the outcome written to the row.
// Counted in the channel's metrics once per stage, never per yt-dlp invocation.
class VodDownload final : public QObject
{
    Q_OBJECT

public:
    VodDownload(VodContext &context, const VodRecord &record, LogContext::Snapshot log,
                QObject *parent = nullptr);
    ~VodDownload() override;

    void start();
    // The operator's cancel: SIGTERM to yt-dlp's group, then canceled().
    void cancel();
    // Engine stop: yt-dlp's group is killed now and no signal follows.
    void abortNow();
    bool isRunning() const;

signals:
    void changed(const Pitwall::VodRecord &record);
    void progress(qint64 bytes, qint64 total);
    void succeeded(qint64 elapsedMs);
    // `counts` when the failure speaks about the media service (for the circuit breaker).
    void failed(bool counts);
    void canceled();

private:
    void onPersist(const DownloadProgress &progress);
    void onFinished(const DownloadResult &result);
    void leave();
    void adopt(const std::optional<VodRecord> &updated, const StoreError &error);

    VodContext &m_context;
    VodRecord m_record;
    const LogContext::Snapshot m_log;
    QPointer<DownloadAttempts> m_attempts;
    QElapsedTimer m_clock;
    bool m_active = false; // counted in vod_active_downloads
};

} // namespace Pitwall
