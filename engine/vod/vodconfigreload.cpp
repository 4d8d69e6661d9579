#include "vod/vodconfigreload.h"

#include "core/db/databasesettings.h"
#include "core/log/logcategories.h"
#include "vod/vodconfigkeys.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

class Comparison
{
public:
    explicit Comparison(VodConfigReload::Result &result) : m_result(result) { }

    template <typename T>
    void live(const QString &env, T &running, const T &next)
    {
        if (running == next)
            return;
        running = next;
        m_result.applied.append(env);
    }

    template <typename T>
    void restart(const QString &env, const T &running, const T &next)
    {
        if (running != next)
            m_result.needsRestart.append(env);
    }

private:
    VodConfigReload::Result &m_result;
};

bool sameDatabase(const DatabaseSettings &running, const AppConfig &next)
{
    QString ignored;
    const auto settings = DatabaseSettings::parse(next.databaseUrl, next.dataDir, &ignored);
    return settings && settings->redacted() == running.redacted()
        && settings->password() == running.password();
}

} // namespace

VodConfigReload::Result VodConfigReload::apply(VodConfig &running,
                                               const DatabaseSettings &runningDatabase,
                                               const AppConfig &next)
{
    Result result;
    Comparison compare(result);
    QueueSettings &queue = running.queue;
    const QueueSettings &wanted = next.vod.queue;
    if (queue.channelList() != wanted.channelList()) {
        queue.channels = wanted.channels;
        queue.channel = wanted.channel;
        result.applied.append(u"TWITCH_CHANNELS"_s);
        result.channelsChanged = true;
    }
    compare.live(u"VOD_PROCESS_INTERVAL"_s, queue.processInterval, wanted.processInterval);
    compare.live(u"VOD_CATALOG_BACKFILL_INTERVAL"_s, queue.catalogBackfillInterval,
                 wanted.catalogBackfillInterval);
    compare.live(u"UPLOAD_DAILY_LIMIT"_s, queue.uploadDailyLimit, wanted.uploadDailyLimit);
    compare.live(u"BACKFILL_UPLOAD_DAILY_LIMIT"_s, queue.backfillUploadDailyLimit,
                 wanted.backfillUploadDailyLimit);
    compare.live(u"RETAIN_KEEP_NEWER_THAN_DAYS"_s, queue.retainKeepNewerThanDays,
                 wanted.retainKeepNewerThanDays);
    compare.live(u"CIRCUIT_FAILURE_THRESHOLD"_s, queue.circuitFailureThreshold,
                 wanted.circuitFailureThreshold);
    compare.live(u"CIRCUIT_OPEN_COOLDOWN"_s, queue.circuitOpenCooldown,
                 wanted.circuitOpenCooldown);
    compare.live(u"RETENTION_KEEP_DAYS"_s, queue.retentionKeepDays, wanted.retentionKeepDays);
    compare.live(u"RETENTION_KEEP_COUNT"_s, queue.retentionKeepCount, wanted.retentionKeepCount);
    compare.live(u"RETENTION_DRY_RUN"_s, queue.retentionDryRun, wanted.retentionDryRun);
    compare.live(u"RETENTION_INTERVAL"_s, queue.retentionInterval, wanted.retentionInterval);
    compare.live(u"DATA_CLEANUP_MAX_AGE"_s, queue.dataCleanupMaxAge, wanted.dataCleanupMaxAge);

    if (!sameDatabase(runningDatabase, next))
        result.needsRestart.append(u"DATABASE_URL"_s);
    compare.restart(u"VOD_CATALOG_MAX"_s, queue.catalogMax, wanted.catalogMax);
    compare.restart(u"VOD_CATALOG_MAX_AGE_DAYS"_s, queue.catalogMaxAgeDays,
                    wanted.catalogMaxAgeDays);
    compare.restart(u"PROCESSING_RETRY_COOLDOWN"_s, queue.retryCooldown, wanted.retryCooldown);
    compare.restart(u"VOD_LEASE_DURATION"_s, queue.leaseDuration, wanted.leaseDuration);
    compare.restart(u"YOUTUBE_UPLOAD_ENABLED"_s, queue.youtubeUploadEnabled,
                    wanted.youtubeUploadEnabled);
    compare.restart(u"YOUTUBE_UPLOAD_OWNERSHIP"_s, queue.youtubeUploadOwnership,
                    wanted.youtubeUploadOwnership);
    compare.restart(u"RATE_LIMIT_ENABLED"_s, queue.rateLimitEnabled, wanted.rateLimitEnabled);
    compare.restart(u"RATE_LIMIT_REQUESTS_PER_IP"_s, queue.rateLimitRequests,
                    wanted.rateLimitRequests);
    compare.restart(u"RATE_LIMIT_WINDOW_SECONDS"_s, queue.rateLimitWindow,
                    wanted.rateLimitWindow);
    compare.restart(u"MAX_CONCURRENT_DOWNLOADS"_s, running.download.maxConcurrentDownloads,
                    next.vod.download.maxConcurrentDownloads);
    compare.restart(u"DATA_DIR"_s, running.download.dataDir, next.vod.download.dataDir);
    return result;
}

std::optional<VodConfigReload::Result> VodConfigReload::reread(
        VodConfig &running, const DatabaseSettings &runningDatabase)
{
    if (!running.sources) {
        qCInfo(lcVod) << "VOD queue: configured in code, nothing to read again";
        return std::nullopt;
    }
    ConfigError error;
    const std::optional<AppConfig> next = loadAppConfig(*running.sources, &error);
    if (!next) {
        qCWarning(lcVod).noquote() << "VOD configuration not reloaded, keeping the old one:"
                                   << error.toString();
        return std::nullopt;
    }
    const Result result = apply(running, runningDatabase, *next);
    qCInfo(lcVod).noquote() << "VOD configuration reloaded;"
                            << (result.applied.isEmpty()
                                        ? u"nothing that applies live changed"_s
                                        : u"now applied: "_s + result.applied.join(u", "_s));
    if (!result.needsRestart.isEmpty())
        qCWarning(lcVod).noquote() << "changed, but applies only after a restart:"
                                   << result.needsRestart.join(u", "_s);
    return result;
}

} // namespace Pitwall
