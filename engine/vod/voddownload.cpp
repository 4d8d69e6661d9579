#include "vod/voddownload.h"

#include "core/log/logcategories.h"
#include "vod/downloadattempts.h"
#include "vod/downloadjob.h"
#include "vod/vodcontext.h"
#include "vod/vodmetrics.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The total that makes bytes/total the monotonic percentage the operator is shown: for HLS the
// byte count is per worker thread and the estimate moves, so the raw pair could go backwards.
qint64 shownTotal(const DownloadProgress &progress)
{
    if (progress.percent() <= 0 || progress.bytes() <= 0)
        return progress.total();
    return std::max(progress.bytes(),
                    qint64(std::llround(double(progress.bytes()) * 100.0 / progress.percent())));
}

} // namespace

VodDownload::VodDownload(VodContext &context, const VodRecord &record, LogContext::Snapshot log,
                         QObject *parent)
    : QObject(parent), m_context(context), m_record(record), m_log(std::move(log))
{
}

VodDownload::~VodDownload()
{
    abortNow();
}

void VodDownload::start()
{
    ChannelMetrics &metrics = m_context.metrics.channel(m_record.channel);
    metrics.downloadsStarted.inc();
    metrics.activeDownloads.inc();
    m_active = true;
    m_attempts = new DownloadAttempts(m_context.config.download, m_record.channel,
                                      m_record.twitchVodId, this);
    connect(m_attempts, &DownloadAttempts::attemptStarted, this, [this](int n, qint64 pid) {
        const LogContext::Scope scope(m_log);
        qCInfo(lcVodDownload).noquote() << u"yt-dlp invocation %1 started, pid %2"_s.arg(n).arg(pid);
    });
    connect(m_attempts, &DownloadAttempts::attemptFailed, this,
            [this](int n, const DownloadFailure &failure, qint64 retryInMs) {
        const LogContext::Scope scope(m_log);
        qCWarning(lcVodDownload).noquote() << u"yt-dlp invocation %1 failed (%2), next in %3 ms"_s
                                                  .arg(n).arg(failure.reason).arg(retryInMs);
    });
    connect(m_attempts, &DownloadAttempts::outputLine, this, [this](const QString &line) {
        const LogContext::Scope scope(m_log);
        qCDebug(lcVodDownload).noquote() << line;
    });
    connect(m_attempts, &DownloadAttempts::progressChanged, this,
            [this](const DownloadProgress &p) { emit progress(p.bytes(), shownTotal(p)); });
    connect(m_attempts, &DownloadAttempts::progressPersist, this, &VodDownload::onPersist);
    connect(m_attempts, &DownloadAttempts::finished, this, &VodDownload::onFinished);
    m_clock.start();
    m_attempts->start();
}

bool VodDownload::isRunning() const
{
    return m_attempts && !m_attempts->isFinished();
}

void VodDownload::cancel()
{
    if (isRunning())
        m_attempts->cancel();
}

void VodDownload::abortNow()
{
    if (!m_attempts)
        return;
    m_attempts->disconnect(this);
    delete m_attempts.data(); // kills yt-dlp's process group; the .part file stays
    leave();
}

void VodDownload::leave()
{
    if (std::exchange(m_active, false))
        m_context.metrics.channel(m_record.channel).activeDownloads.dec();
}

void VodDownload::onPersist(const DownloadProgress &progress)
{
    StoreError error;
    if (!m_context.store.writeProgress(m_record.id, m_context.owner, progress.bytes(),
                                       shownTotal(progress), QDateTime::currentDateTimeUtc(),
                                       &error)) {
        const LogContext::Scope scope(m_log);
        qCDebug(lcVodDownload).noquote() << "progress not written:" << error.message;
    }
}

void VodDownload::adopt(const std::optional<VodRecord> &updated, const StoreError &error)
{
    if (!updated) {
        qCWarning(lcVodDownload).noquote() << "cannot record the outcome:" << error.message;
        return;
    }
    m_record = *updated;
    emit changed(m_record);
}

void VodDownload::onFinished(const DownloadResult &result)
{
    const LogContext::Scope scope(m_log);
    leave();
    m_attempts->deleteLater();
    ChannelMetrics &metrics = m_context.metrics.channel(m_record.channel);
    const qint64 elapsed = m_clock.elapsed();
    StoreError error;
    switch (result.outcome) {
    case DownloadResult::Outcome::Canceled:
        qCInfo(lcVodDownload).noquote() << "download canceled; the .part file is kept";
        emit canceled();
        return;
    case DownloadResult::Outcome::Succeeded: {
        metrics.downloadsSucceeded.inc();
        metrics.downloadDuration.observe(double(elapsed) / 1000.0);
        const LogContext::Fields fields({{u"dl_ms"_s, elapsed}, {u"bytes"_s, result.size}});
        qCInfo(lcVodDownload).noquote() << "download complete:" << result.path;
        adopt(m_context.store.markDownloaded(m_record.id, m_context.owner, result.path,
                                             result.size, &error), error);
        emit succeeded(elapsed);
        return;
    }
    case DownloadResult::Outcome::Failed:
        break;
    }
    const DownloadFailure &failure = result.failure;
    metrics.downloadsFailed.inc();
    {
        const LogContext::Fields fields({{u"dl_ms"_s, elapsed}, {u"failure"_s, failure.kindName()}});
        qCWarning(lcVodDownload).noquote() << "download failed:" << failure.reason << '\n'
                                           << failure.detail;
    }
    adopt(m_context.store.recordDownloadFailure(m_record.id, m_context.owner,
                                                {failure.reason, failure.terminal()},
                                                m_context.downloadRetry,
                                                QDateTime::currentDateTimeUtc(), &error),
          error);
    // Auth-required and invalid ids say nothing about the media service's health.
    emit failed(failure.kind == DownloadFailure::Kind::Retryable
                || failure.kind == DownloadFailure::Kind::NotFound);
}

} // namespace Pitwall
