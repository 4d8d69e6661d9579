#include "vod/downloadattempts.h"

#include "vod/downloadjob.h"

#include <QRandomGenerator>

#include <algorithm>

namespace Pitwall {

namespace {

// 2^20 times any sensible base is already weeks; larger exponents only risk overflow.
constexpr int maxExponent = 20;

DownloadResult canceledResult()
{
    DownloadResult result;
    result.outcome = DownloadResult::Outcome::Canceled;
    return result;
}

} // namespace

DownloadAttempts::DownloadAttempts(DownloadSettings settings, QString channel, QString vodId,
                                   QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_channel(std::move(channel))
    , m_vodId(std::move(vodId))
{
    m_backoff.setSingleShot(true);
    connect(&m_backoff, &QTimer::timeout, this, &DownloadAttempts::launch);
}

std::chrono::milliseconds DownloadAttempts::backoff(std::chrono::milliseconds base, int invocation,
                                                    std::chrono::milliseconds jitter)
{
    return base * (qint64(1) << std::clamp(invocation, 0, maxExponent)) + jitter;
}

void DownloadAttempts::start()
{
    if (m_startCalled)
        return;
    m_startCalled = true;
    if (m_canceled) {
        QMetaObject::invokeMethod(this, [this] { finish(canceledResult()); }, Qt::QueuedConnection);
        return;
    }
    launch();
}

void DownloadAttempts::cancel()
{
    if (m_finished || m_canceled)
        return;
    m_canceled = true;
    if (m_job) {
        m_job->cancel(); // its Canceled result ends the cycle
    } else if (m_backoff.isActive()) {
        m_backoff.stop();
        QMetaObject::invokeMethod(this, [this] { finish(canceledResult()); }, Qt::QueuedConnection);
    }
}

void DownloadAttempts::launch()
{
    auto *job = new DownloadJob(m_settings, m_channel, m_vodId, this);
    m_job = job;
    const int invocation = ++m_invocations;
    connect(job, &DownloadJob::started, this,
            [this, invocation](qint64 pid) { emit attemptStarted(invocation, pid); });
    connect(job, &DownloadJob::progressChanged, this, &DownloadAttempts::progressChanged);
    connect(job, &DownloadJob::progressPersist, this, &DownloadAttempts::progressPersist);
    connect(job, &DownloadJob::outputLine, this, &DownloadAttempts::outputLine);
    connect(job, &DownloadJob::finished, this, &DownloadAttempts::jobFinished);
    job->start();
}

void DownloadAttempts::jobFinished(const DownloadResult &result)
{
    m_job->deleteLater();
    m_job = nullptr;
    const bool retry = result.outcome == DownloadResult::Outcome::Failed && !m_canceled
                       && !result.failure.terminal() && m_invocations < m_settings.maxAttempts;
    if (!retry) {
        finish(m_canceled ? canceledResult() : result);
        return;
    }
    const std::chrono::milliseconds base =
        std::max(m_settings.backoffBase, std::chrono::milliseconds(0));
    const std::chrono::milliseconds jitter(
        base.count() > 0 ? QRandomGenerator::global()->bounded(qint64(base.count())) : 0);
    const std::chrono::milliseconds delay = backoff(base, m_invocations, jitter);
    emit attemptFailed(m_invocations, result.failure, delay.count());
    m_backoff.start(delay);
}

void DownloadAttempts::finish(DownloadResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    emit finished(m_result);
}

} // namespace Pitwall
