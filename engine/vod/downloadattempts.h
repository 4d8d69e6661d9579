#pragma once

#include "vod/downloadprogress.h"
#include "vod/downloadresult.h"
#include "vod/downloadsettings.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>

namespace Pitwall {

class DownloadJob;

// One download cycle of one VOD: up to DOWNLOAD_MAX_ATTEMPTS yt-dlp invocations, the n-th
// (n >= 1, counting from 0) after a wait of base * 2^n + a random [0, base). A terminal failure
// (not found, auth required, invalid) ends the cycle after its invocation; a cancel ends it at
// once, also during a wait, and nothing is started after it.
class DownloadAttempts final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DownloadAttempts)

public:
    DownloadAttempts(DownloadSettings settings, QString channel, QString vodId,
                     QObject *parent = nullptr);

    // Once; finished() follows exactly once.
    void start();
    void cancel();

    // yt-dlp invocations so far.
    int invocations() const { return m_invocations; }
    bool isFinished() const { return m_finished; }
    const DownloadResult &result() const { return m_result; }
    // The running invocation, nullptr while waiting or when done.
    DownloadJob *currentJob() const { return m_job; }

    // The wait before invocation n >= 1 for a jitter drawn from [0, base).
    static std::chrono::milliseconds backoff(std::chrono::milliseconds base, int invocation,
                                             std::chrono::milliseconds jitter);

signals:
    // `invocation` counts from 1 in both: the first yt-dlp run is invocation 1.
    void attemptStarted(int invocation, qint64 processId);
    // A retryable failure with another invocation due in retryInMs.
    void attemptFailed(int invocation, const Pitwall::DownloadFailure &failure, qint64 retryInMs);
    void progressChanged(const Pitwall::DownloadProgress &progress);
    void progressPersist(const Pitwall::DownloadProgress &progress);
    void outputLine(const QString &line);
    void finished(const Pitwall::DownloadResult &result);

private:
    void launch();
    void jobFinished(const DownloadResult &result);
    void finish(DownloadResult result);

    DownloadSettings m_settings;
    QString m_channel;
    QString m_vodId;
    QPointer<DownloadJob> m_job;
    QTimer m_backoff;
    int m_invocations = 0;
    bool m_startCalled = false;
    bool m_canceled = false;
    bool m_finished = false;
    DownloadResult m_result;
};

} // namespace Pitwall
