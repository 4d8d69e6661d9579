#pragma once

#include "vod/catalogresult.h"
#include "vod/channelstatus.h"
#include "vod/downloadslots.h"
#include "vod/vodjob.h"
#include "vod/vodrecord.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace Pitwall {

class ChannelCatalog;
class ChannelCircuit;
class HelixClient;
class ChannelRetention;
class TimingAverages;
struct VodContext;

// One channel's queue on the engine thread (research §1.4 with the §10 fixes). A processing
// cycle every VOD_PROCESS_INTERVAL: the run time in kv, discovery started on its own (a Helix
// outage never holds queued work back), stale temp files removed, then as many claims as
// download slots are granted: MAX_CONCURRENT_DOWNLOADS runs in parallel within the channel
// too. A claim waits for the slot first, so a claimed VOD never sits on a lease unworked.
// While the circuit is open nothing is claimed (no media request at all); half-open lets one
// probe through. Daily upload caps stop claims while they hold (status throttled). Jobs that
// end free their slot at once and the next claim follows without waiting for the timer.
class ChannelPipeline final : public QObject
{
    Q_OBJECT

public:
    ChannelPipeline(VodContext &context, const QString &channel, HelixClient *helix,
                    QObject *parent = nullptr);
    ~ChannelPipeline() override;

    const QString &channel() const { return m_channel; }
    void start();
    // Ends every job now, handing its row back (engine stop).
    void shutdown();

    // Claims again now, not at the next cycle (new rows, reprocess, a priority change).
    void wake();
    // Stops the local job of this VOD, if this process runs one.
    bool stopJob(const QString &twitchVodId);
    bool hasJob(const QString &twitchVodId) const;
    // Discovery now; `done` gets its result (several callers share one run). False without
    // Helix credentials.
    bool discover(std::function<void(const CatalogResult &)> done);
    // A catalog run with the given limits (the configured ones when empty): false when one is
    // running already or Helix is not configured.
    bool startCatalog(std::optional<int> maxCount, std::optional<int> maxAgeDays);
    bool hasHelix() const { return m_catalog != nullptr; }
    void refreshStatus();
    // Takes the intervals, caps, retention policy and breaker thresholds from the configuration
    // now (reload); running jobs keep what they already read.
    void reconfigure();

signals:
    void vodChanged(const Pitwall::VodRecord &vod);
    void progress(const QString &channel, const QString &vodId, qint64 bytes, qint64 total);
    void statusChanged(const Pitwall::ChannelStatus &status);

private:
    void cycle();
    void fill();
    void onSlotGranted();
    void startJob(const VodRecord &claimed, DownloadSlots::Ticket ticket);
    void onJobFinished(VodJob *job);
    void onTimings(const VodJob::Timings &timings);
    // Asks the breaker (open -> half-open when due); half-open lets one probe through.
    bool claimsAllowed();
    // std::nullopt while the daily upload cap stops every claim (m_throttled); else the
    // back-catalogue cap's limit for the claim, invalid when it does not hold.
    std::optional<QDateTime> uploadCapCutoff();

    VodContext &m_context;
    const QString m_channel;
    std::unique_ptr<ChannelCatalog> m_catalog; // null without Helix credentials
    ChannelCircuit *m_circuit; // a child
    std::unique_ptr<TimingAverages> m_averages;
    ChannelRetention *m_retention; // a child
    QList<VodJob *> m_jobs;
    VodJob *m_probe = nullptr; // the half-open circuit's one claim
    DownloadSlots::Ticket m_waiting = 0;
    QTimer m_processTimer;
    QDateTime m_lastRun;
    bool m_throttled = false;
    bool m_idle = false; // the last claim found nothing: wait for the next cycle or event
    bool m_stopped = false;
};

} // namespace Pitwall
