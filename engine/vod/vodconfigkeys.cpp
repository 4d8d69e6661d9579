#include "vod/vodconfigkeys.h"

#include "vod/vodconfigrules.h"
#include "vod/vodkeybuilders.h"
#include "vod/vodpartkeys.h"

#include <QDir>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace Pitwall {

namespace {

constexpr auto day = 24h;

QueueSettings &queue(AppConfig &config)
{
    return config.vod.queue;
}

QList<ConfigKey> channelKeys()
{
    return {
        {u"vod.channels"_s, {u"TWITCH_CHANNELS"_s}, QString(), false,
         [](AppConfig &config, const QString &value) {
             return VodConfigRules::logins(queue(config).channels, value);
         }},
        {u"vod.channel"_s, {u"TWITCH_CHANNEL"_s}, QString(), false,
         [](AppConfig &config, const QString &value) {
             return VodConfigRules::login(queue(config).channel, value);
         }},
    };
}

QList<ConfigKey> queueKeys()
{
    using namespace VodKeys;
    return {
        duration(u"vod.process_interval"_s, u"VOD_PROCESS_INTERVAL"_s,
                 [](AppConfig &c) -> auto & { return queue(c).processInterval; }, 1s, day),
        duration(u"vod.catalog_backfill_interval"_s, u"VOD_CATALOG_BACKFILL_INTERVAL"_s,
                 [](AppConfig &c) -> auto & { return queue(c).catalogBackfillInterval; }, 1s,
                 30 * day),
        integer(u"vod.catalog_max"_s, u"VOD_CATALOG_MAX"_s,
                [](AppConfig &c) -> auto & { return queue(c).catalogMax; }, 0, 1000000),
        integer(u"vod.catalog_max_age_days"_s, u"VOD_CATALOG_MAX_AGE_DAYS"_s,
                [](AppConfig &c) -> auto & { return queue(c).catalogMaxAgeDays; }, 0, 3650),
        duration(u"vod.processing_retry_cooldown"_s, u"PROCESSING_RETRY_COOLDOWN"_s,
                 [](AppConfig &c) -> auto & { return queue(c).retryCooldown; }, 0ms, 7 * day),
        integer(u"vod.upload_daily_limit"_s, u"UPLOAD_DAILY_LIMIT"_s,
                [](AppConfig &c) -> auto & { return queue(c).uploadDailyLimit; }, 0, 10000),
        integer(u"vod.backfill_upload_daily_limit"_s, u"BACKFILL_UPLOAD_DAILY_LIMIT"_s,
                [](AppConfig &c) -> auto & { return queue(c).backfillUploadDailyLimit; }, 0,
                10000),
        integer(u"vod.retain_keep_newer_than_days"_s, u"RETAIN_KEEP_NEWER_THAN_DAYS"_s,
                [](AppConfig &c) -> auto & { return queue(c).retainKeepNewerThanDays; }, 0, 3650),
        integer(u"vod.circuit_failure_threshold"_s, u"CIRCUIT_FAILURE_THRESHOLD"_s,
                [](AppConfig &c) -> auto & { return queue(c).circuitFailureThreshold; }, 0, 1000),
        duration(u"vod.circuit_open_cooldown"_s, u"CIRCUIT_OPEN_COOLDOWN"_s,
                 [](AppConfig &c) -> auto & { return queue(c).circuitOpenCooldown; }, 1s, day),
        integer(u"vod.retention_keep_days"_s, u"RETENTION_KEEP_DAYS"_s,
                [](AppConfig &c) -> auto & { return queue(c).retentionKeepDays; }, 0, 36500),
        integer(u"vod.retention_keep_count"_s, u"RETENTION_KEEP_COUNT"_s,
                [](AppConfig &c) -> auto & { return queue(c).retentionKeepCount; }, 0, 1000000),
        boolean(u"vod.retention_dry_run"_s, u"RETENTION_DRY_RUN"_s,
                [](AppConfig &c) -> auto & { return queue(c).retentionDryRun; }),
        duration(u"vod.retention_interval"_s, u"RETENTION_INTERVAL"_s,
                 [](AppConfig &c) -> auto & { return queue(c).retentionInterval; }, 1s, 30 * day),
        duration(u"vod.data_cleanup_max_age"_s, u"DATA_CLEANUP_MAX_AGE"_s,
                 [](AppConfig &c) -> auto & { return queue(c).dataCleanupMaxAge; }, 0ms,
                 365 * day),
        duration(u"vod.lease_duration"_s, u"VOD_LEASE_DURATION"_s,
                 [](AppConfig &c) -> auto & { return queue(c).leaseDuration; }, 1s, 1h),
        boolean(u"vod.youtube_upload_enabled"_s, u"YOUTUBE_UPLOAD_ENABLED"_s,
                [](AppConfig &c) -> auto & { return queue(c).youtubeUploadEnabled; }),
        {u"vod.youtube_upload_ownership"_s, {u"YOUTUBE_UPLOAD_OWNERSHIP"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const QString text = value.trimmed().toLower();
             if (text == u"self")
                 queue(config).youtubeUploadOwnership = QueueSettings::Ownership::Self;
             else if (text == u"authorized")
                 queue(config).youtubeUploadOwnership = QueueSettings::Ownership::Authorized;
             else
                 return u"must be self or authorized (the uploader owns or may publish the videos)"_s;
             return std::nullopt;
         }},
    };
}

QList<ConfigKey> adminKeys()
{
    using namespace VodKeys;
    return {
        {u"admin_username"_s, {u"ADMIN_USERNAME"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const QString name = value.trimmed();
             if (name.isEmpty() || name.size() > 64 || name.contains(u':'))
                 return u"must be 1..64 characters without ':'"_s;
             config.adminUsername = name;
             return std::nullopt;
         }},
        {u"admin_password"_s, {u"ADMIN_PASSWORD"_s}, QString(), true,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             if (value.trimmed().size() < 12)
                 return u"must be at least 12 characters"_s;
             config.adminPassword = value.trimmed();
             return std::nullopt;
         }},
        boolean(u"vod.rate_limit_enabled"_s, u"RATE_LIMIT_ENABLED"_s,
                [](AppConfig &c) -> auto & { return queue(c).rateLimitEnabled; }),
        integer(u"vod.rate_limit_requests_per_ip"_s, u"RATE_LIMIT_REQUESTS_PER_IP"_s,
                [](AppConfig &c) -> auto & { return queue(c).rateLimitRequests; }, 1, 100000),
        {u"vod.rate_limit_window_seconds"_s, {u"RATE_LIMIT_WINDOW_SECONDS"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             qint64 seconds = 0;
             if (auto rule = ConfigRules::integer(seconds, value, 1, 86400))
                 return rule;
             queue(config).rateLimitWindow = std::chrono::seconds(seconds);
             return std::nullopt;
         }},
    };
}

} // namespace

QList<ConfigKey> vodConfigKeys()
{
    return channelKeys() + queueKeys() + adminKeys() + chatConfigKeys() + downloadConfigKeys()
        + uploadConfigKeys() + helixConfigKeys() + oauthConfigKeys();
}

std::optional<ConfigError> finishVodConfig(AppConfig &config)
{
    if (config.adminUsername.isEmpty() != config.adminPassword.isEmpty()) {
        // Named after the half that is missing.
        const bool nameMissing = config.adminUsername.isEmpty();
        return ConfigError{nameMissing ? u"ADMIN_USERNAME"_s : u"ADMIN_PASSWORD"_s, QString(),
                           u"must be set together with %1"_s.arg(nameMissing ? u"ADMIN_PASSWORD"_s
                                                                             : u"ADMIN_USERNAME"_s),
                           u"configuration"_s};
    }
    DownloadSettings &media = config.vod.download;
    if (media.dataDir.isEmpty())
        media.dataDir = QDir(config.dataDir).filePath(u"vods"_s);
    media.verbose = media.verbose || config.logLevel <= LogLevel::Debug;
    return std::nullopt;
}

std::optional<AppConfig> loadAppConfig(const ConfigSources &sources, ConfigError *error)
{
    AppConfig config = ConfigLoader::defaults();
    ConfigLoader loader;
    loader.addKeys(vodConfigKeys());
    std::optional<ConfigError> refused = loader.load(sources, config);
    if (!refused)
        refused = finishVodConfig(config);
    if (refused) {
        *error = *refused;
        return std::nullopt;
    }
    config.vod.sources = std::make_shared<const ConfigSources>(sources);
    return config;
}

} // namespace Pitwall
