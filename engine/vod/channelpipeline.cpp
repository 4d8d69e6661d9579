#include "vod/channelpipeline.h"

#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "core/http/httprequest.h"
#include "core/log/logcategories.h"
#include "core/log/logcontext.h"
#include "vod/channelcatalog.h"
#include "vod/channelcircuit.h"
#include "vod/channelretention.h"
#include "vod/timingaverages.h"
#include "vod/uploadcaps.h"
#include "vod/vodcontext.h"
#include "vod/vodmetrics.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

} // namespace

ChannelPipeline::ChannelPipeline(VodContext &context, const QString &channel, HelixClient *helix,
                                 QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_channel(channel)
    , m_circuit(new ChannelCircuit(context, channel, this))
    , m_averages(std::make_unique<TimingAverages>(context.database, channel))
    , m_retention(new ChannelRetention(context, channel, this))
{
    const QueueSettings &queue = context.config.queue;
    if (helix) {
        m_catalog = std::make_unique<ChannelCatalog>(context, channel, *helix);
        connect(m_catalog.get(), &ChannelCatalog::newRows, this, &ChannelPipeline::wake);
    }
    m_processTimer.setInterval(queue.processInterval);
    connect(&m_processTimer, &QTimer::timeout, this, &ChannelPipeline::cycle);
    connect(m_circuit, &ChannelCircuit::cooldownOver, this, &ChannelPipeline::cycle);
    connect(m_circuit, &ChannelCircuit::changed, this, &ChannelPipeline::refreshStatus);
}

ChannelPipeline::~ChannelPipeline()
{
    shutdown();
}

void ChannelPipeline::start()
{
    m_context.metrics.channel(m_channel); // the channel's series exist from the start
    m_processTimer.start();
    if (m_catalog) {
        m_catalog->start();
    } else {
        qCWarning(lcVod).noquote() << "channel" << m_channel
                                   << ": no TWITCH_CLIENT_ID/TWITCH_CLIENT_SECRET, so no "
                                      "discovery; queued VODs are still processed";
    }
    m_retention->start();
    cycle();
}

void ChannelPipeline::shutdown()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_processTimer.stop();
    m_circuit->stop();
    m_retention->stop();
    if (m_catalog)
        m_catalog->stop();
    if (m_waiting) {
        m_context.downloadSlots.release(m_waiting);
        m_waiting = 0;
    }
    const QList<VodJob *> jobs = m_jobs;
    for (VodJob *job : jobs)
        job->shutdown();
}

void ChannelPipeline::reconfigure()
{
    m_processTimer.setInterval(m_context.config.queue.processInterval);
    if (m_catalog)
        m_catalog->reconfigure();
    m_circuit->reconfigure();
    m_retention->reconfigure();
    // Caps are read at each claim; a claim now sees the new ones.
    wake();
}

void ChannelPipeline::wake()
{
    m_idle = false;
    fill();
    refreshStatus();
}

void ChannelPipeline::cycle()
{
    if (m_stopped)
        return;
    const LogContext::Scope scope(CorrelationId::generate(), {{u"channel"_s, m_channel}});
    m_lastRun = now();
    KvStore(m_context.database.connection())
            .setValue(m_channel, u"job_vod_process_last"_s, m_lastRun.toString(Qt::ISODateWithMs));
    if (m_catalog)
        m_catalog->discover();
    m_retention->cleanTempFiles();
    m_idle = false;
    fill();
    refreshStatus();
}

void ChannelPipeline::fill()
{
    if (m_stopped || m_waiting || m_idle || !claimsAllowed())
        return;
    m_waiting = m_context.downloadSlots.acquire(this, [this] { onSlotGranted(); });
}

void ChannelPipeline::onSlotGranted()
{
    const DownloadSlots::Ticket ticket = m_waiting;
    m_waiting = 0;
    const std::optional<QDateTime> cutoff = claimsAllowed() ? uploadCapCutoff() : std::nullopt;
    if (m_stopped || !cutoff) {
        m_context.downloadSlots.release(ticket);
        refreshStatus();
        return;
    }
    ClaimRequest request{m_channel, m_context.owner, now(), m_context.config.queue.leaseDuration,
                         *cutoff};
    StoreError error;
    const std::optional<VodRecord> claimed = m_context.store.claimNext(request, &error);
    if (!claimed) {
        m_context.downloadSlots.release(ticket);
        m_idle = true;
        if (error.kind != StoreError::Kind::NotFound)
            qCWarning(lcVodProcess).noquote() << "channel" << m_channel << "claim failed:"
                                              << error.message;
        return;
    }
    emit vodChanged(*claimed);
    m_context.metrics.channel(m_channel).processingCycles.inc();
    // An upload needs no download slot; the next claim may have it.
    const bool needsSlot = claimed->state != VodState::Downloaded;
    if (!needsSlot)
        m_context.downloadSlots.release(ticket);
    startJob(*claimed, needsSlot ? ticket : 0);
    fill();
}

void ChannelPipeline::startJob(const VodRecord &claimed, DownloadSlots::Ticket ticket)
{
    auto *job = new VodJob(m_context, claimed, ticket, this);
    m_jobs.append(job);
    if (m_circuit->isHalfOpen())
        m_probe = job;
    connect(job, &VodJob::changed, this, &ChannelPipeline::vodChanged);
    connect(job, &VodJob::progress, this, &ChannelPipeline::progress);
    connect(job, &VodJob::downloadSucceeded, m_circuit,
            &ChannelCircuit::recordDownloadSucceeded);
    connect(job, &VodJob::downloadFailed, m_circuit, &ChannelCircuit::recordDownloadFailed);
    connect(job, &VodJob::completed, this, &ChannelPipeline::onTimings);
    connect(job, &VodJob::slotReleased, this, &ChannelPipeline::fill, Qt::QueuedConnection);
    connect(job, &VodJob::finished, this, [this, job] { onJobFinished(job); },
            Qt::QueuedConnection);
    job->start();
    refreshStatus();
}

void ChannelPipeline::onJobFinished(VodJob *job)
{
    m_jobs.removeOne(job);
    if (m_probe == job)
        m_probe = nullptr;
    job->deleteLater();
    m_idle = false;
    refreshStatus();
    fill();
}

bool ChannelPipeline::stopJob(const QString &twitchVodId)
{
    for (VodJob *job : std::as_const(m_jobs)) {
        if (job->record().twitchVodId == twitchVodId) {
            job->stopCanceled();
            return true;
        }
    }
    return false;
}

bool ChannelPipeline::hasJob(const QString &twitchVodId) const
{
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(), [&](const VodJob *job) {
        return job->record().twitchVodId == twitchVodId;
    });
}

bool ChannelPipeline::discover(std::function<void(const CatalogResult &)> done)
{
    if (!m_catalog)
        return false;
    m_catalog->discover(std::move(done));
    return true;
}

bool ChannelPipeline::startCatalog(std::optional<int> maxCount, std::optional<int> maxAgeDays)
{
    return m_catalog && m_catalog->startCatalog(maxCount, maxAgeDays);
}

bool ChannelPipeline::claimsAllowed()
{
    const bool probing = m_probe || std::any_of(m_jobs.cbegin(), m_jobs.cend(), [](
            const VodJob *job) { return job->holdsSlot(); });
    return m_circuit->allowsClaim(probing);
}

void ChannelPipeline::onTimings(const VodJob::Timings &timings)
{
    StoreError error;
    if (timings.downloadMs)
        m_averages->record(TimingAverages::Kind::Download, *timings.downloadMs, &error);
    if (timings.uploadMs)
        m_averages->record(TimingAverages::Kind::Upload, *timings.uploadMs, &error);
    m_averages->record(TimingAverages::Kind::Total, timings.totalMs, &error);
    m_context.metrics.channel(m_channel).totalDuration.observe(double(timings.totalMs) / 1000.0);
}

std::optional<QDateTime> ChannelPipeline::uploadCapCutoff()
{
    const UploadCaps caps(m_context, m_channel);
    const UploadCaps::Verdict verdict = caps.check(now());
    m_throttled = verdict.blocked();
    if (!m_throttled)
        return verdict.backCatalogueBefore;
    qCInfo(lcVodProcess).noquote() << "channel" << m_channel << "throttled:" << verdict.reason;
    caps.holdBack(verdict);
    return std::nullopt;
}

void ChannelPipeline::refreshStatus()
{
    ChannelStatus status;
    status.channel = m_channel;
    StoreError error;
    if (const std::optional<VodCounts> counts = m_context.store.counts(m_channel, &error)) {
        status.pending = counts->pending;
        status.errored = counts->errored;
        status.processed = counts->processed;
        status.queueByPriority = counts->pendingByPriority;
        status.oldestPendingId = counts->oldestPendingId;
        status.oldestPendingDate = counts->oldestPendingDate;
    }
    status.activeDownloads = int(std::count_if(m_jobs.cbegin(), m_jobs.cend(),
                                               [](const VodJob *job) { return job->holdsSlot(); }));
    m_circuit->fill(status);
    if (const std::optional<TimingAverages::Values> averages = m_averages->read(&error)) {
        status.avgDownloadMs = averages->downloadMs;
        status.avgUploadMs = averages->uploadMs;
        status.avgTotalMs = averages->totalMs;
    }
    status.lastProcessRun = m_lastRun;
    status.throttled = m_throttled;
    ChannelMetrics &metrics = m_context.metrics.channel(m_channel);
    metrics.queueDepth.set(double(status.pending));
    const int stateValue = status.circuitState == u"open"        ? 2
                         : status.circuitState == u"half-open" ? 1
                                                               : 0;
    metrics.circuitState.set(status.circuitEnabled ? stateValue : 0);
    metrics.circuitOpen.set(status.circuitOpen() ? 1 : 0);
    emit statusChanged(status);
}

} // namespace Pitwall
