#include "vod/vodpartkeys.h"

#include "vod/vodconfigrules.h"
#include "vod/vodkeybuilders.h"

#include <QDir>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace Pitwall {

namespace {

ChatSettings &chat(AppConfig &config)
{
    return config.vod.chat;
}

DownloadSettings &download(AppConfig &config)
{
    return config.vod.download;
}

UploadSettings &upload(AppConfig &config)
{
    return config.vod.upload;
}

HelixSettings &helix(AppConfig &config)
{
    return config.vod.helix;
}

OAuthSettings &oauth(AppConfig &config)
{
    return config.vod.oauth;
}

ConfigKey scopes(const QString &yaml, const QString &env, VodKeys::Field<QStringList> field)
{
    return {yaml, {env}, QString(), false, [=](AppConfig &config, const QString &value) {
                return VodConfigRules::scopes(field(config), value);
            }};
}

// A text key whose value must pass one of DownloadSettings' rules.
ConfigKey checkedText(const QString &yaml, const QString &env, VodKeys::Field<QString> field,
                      std::optional<QString> (*rule)(const QString &))
{
    return {yaml, {env}, QString(), false,
            [=](AppConfig &config, const QString &value) -> std::optional<QString> {
                if (auto broken = rule(value.trimmed()))
                    return broken;
                field(config) = value.trimmed();
                return std::nullopt;
            }};
}

} // namespace

QList<ConfigKey> chatConfigKeys()
{
    using namespace VodKeys;
    return {
        {u"vod.chat.irc_addr"_s, {u"TWITCH_IRC_ADDR"_s}, QString(), false,
         [](AppConfig &config, const QString &value) {
             return VodConfigRules::hostPort(chat(config).ircHost, chat(config).ircPort, value);
         }},
        boolean(u"vod.chat.irc_tls"_s, u"TWITCH_IRC_TLS"_s,
                [](AppConfig &c) -> auto & { return chat(c).ircTls; }),
        {u"vod.chat.bot_username"_s, {u"TWITCH_BOT_USERNAME"_s}, QString(), false,
         [](AppConfig &config, const QString &value) {
             return VodConfigRules::login(chat(config).botUsername, value);
         }},
        text(u"vod.chat.oauth_token"_s, u"TWITCH_OAUTH_TOKEN"_s,
             [](AppConfig &c) -> auto & { return chat(c).oauthToken; }, true),
        boolean(u"vod.chat.auto_start"_s, u"CHAT_AUTO_START"_s,
                [](AppConfig &c) -> auto & { return chat(c).autoStart; }),
        duration(u"vod.chat.auto_poll_interval"_s, u"CHAT_AUTO_POLL_INTERVAL"_s,
                 [](AppConfig &c) -> auto & { return chat(c).autoPollInterval; }, 1s, 1h),
        duration(u"vod.chat.reconcile_delay"_s, u"VOD_RECONCILE_DELAY"_s,
                 [](AppConfig &c) -> auto & { return chat(c).reconcileDelay; }, 0ms, 1h),
        text(u"vod.chat.vod_id"_s, u"TWITCH_VOD_ID"_s,
             [](AppConfig &c) -> auto & { return chat(c).manualVodId; }),
        {u"vod.chat.vod_start"_s, {u"TWITCH_VOD_START"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const QDateTime start = QDateTime::fromString(value.trimmed(), Qt::ISODateWithMs);
             if (!start.isValid() || start.timeSpec() == Qt::LocalTime)
                 return u"must be an RFC 3339 time with a zone, e.g. 2024-05-01T18:00:00Z"_s;
             chat(config).manualVodStart = start.toUTC();
             return std::nullopt;
         }},
    };
}


QList<ConfigKey> downloadConfigKeys()
{
    using namespace VodKeys;
    return {
        {u"vod.data_dir"_s, {u"DATA_DIR"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             if (value.trimmed().isEmpty())
                 return u"must not be empty"_s;
             download(config).dataDir = QDir(value.trimmed()).absolutePath();
             return std::nullopt;
         }},
        integer(u"vod.max_concurrent_downloads"_s, u"MAX_CONCURRENT_DOWNLOADS"_s,
                [](AppConfig &c) -> auto & { return download(c).maxConcurrentDownloads; }, 1, 64),
        checkedText(u"vod.download_rate_limit"_s, u"DOWNLOAD_RATE_LIMIT"_s,
                    [](AppConfig &c) -> auto & { return download(c).rateLimit; },
                    &DownloadSettings::rateLimitRule),
        text(u"vod.ytdlp_args"_s, u"YTDLP_ARGS"_s,
             [](AppConfig &c) -> auto & { return download(c).extraArguments; }),
        boolean(u"vod.ytdlp_verbose"_s, u"YTDLP_VERBOSE"_s,
                [](AppConfig &c) -> auto & { return download(c).verbose; }),
        text(u"vod.ytdlp_path"_s, u"YTDLP_PATH"_s,
             [](AppConfig &c) -> auto & { return download(c).ytDlpProgram; }),
        {u"vod.download_use_aria2c"_s, {u"DOWNLOAD_USE_ARIA2C"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             bool use = true;
             if (auto rule = VodConfigRules::boolean(use, value))
                 return rule;
             download(config).aria2c = use ? DownloadSettings::Aria2c::WhenPresent
                                           : DownloadSettings::Aria2c::Never;
             return std::nullopt;
         }},
        integer(u"vod.download_max_attempts"_s, u"DOWNLOAD_MAX_ATTEMPTS"_s,
                [](AppConfig &c) -> auto & { return download(c).maxAttempts; }, 1, 100),
        duration(u"vod.download_backoff_base"_s, u"DOWNLOAD_BACKOFF_BASE"_s,
                 [](AppConfig &c) -> auto & { return download(c).backoffBase; }, 0ms, 10min),
        duration(u"vod.download_stall_timeout"_s, u"DOWNLOAD_STALL_TIMEOUT"_s,
                 [](AppConfig &c) -> auto & { return download(c).stallTimeout; }, 1s, 1h),
        checkedText(u"vod.url_template"_s, u"VOD_URL_TEMPLATE"_s,
                    [](AppConfig &c) -> auto & { return download(c).urlTemplate; },
                    &DownloadSettings::urlTemplateRule),
    };
}


QList<ConfigKey> uploadConfigKeys()
{
    using namespace VodKeys;
    return {
        url(u"vod.youtube_upload_url"_s, u"YOUTUBE_UPLOAD_URL"_s,
            [](AppConfig &c) -> auto & { return upload(c).uploadUrl; }),
        url(u"vod.google_token_url"_s, u"GOOGLE_TOKEN_URL"_s,
            [](AppConfig &c) -> auto & { return upload(c).tokenUrl; }),
        text(u"vod.youtube_client_id"_s, u"YT_CLIENT_ID"_s,
             [](AppConfig &c) -> auto & { return upload(c).clientId; }),
        text(u"vod.youtube_client_secret"_s, u"YT_CLIENT_SECRET"_s,
             [](AppConfig &c) -> auto & { return upload(c).clientSecret; }, true),
        {u"vod.youtube_upload_chunk_size"_s, {u"YOUTUBE_UPLOAD_CHUNK_SIZE"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             bool ok = false;
             const qint64 bytes = value.trimmed().toLongLong(&ok);
             if (!ok)
                 return UploadSettings::chunkSizeRule(0);
             if (auto rule = UploadSettings::chunkSizeRule(bytes))
                 return rule;
             upload(config).chunkSize = bytes;
             return std::nullopt;
         }},
        integer(u"vod.upload_max_attempts"_s, u"UPLOAD_MAX_ATTEMPTS"_s,
                [](AppConfig &c) -> auto & { return upload(c).maxAttempts; }, 1, 100),
        duration(u"vod.upload_backoff_base"_s, u"UPLOAD_BACKOFF_BASE"_s,
                 [](AppConfig &c) -> auto & { return upload(c).backoffBase; }, 0ms, 10min),
        {u"vod.encryption_key"_s, {u"ENCRYPTION_KEY"_s}, QString(), true,
         [](AppConfig &config, const QString &value) {
             return VodConfigRules::aesKey(upload(config).encryptionKey, value);
         }},
    };
}

QList<ConfigKey> helixConfigKeys()
{
    using namespace VodKeys;
    return {
        url(u"vod.twitch_helix_url"_s, u"TWITCH_HELIX_URL"_s,
            [](AppConfig &c) -> auto & { return helix(c).helixUrl; }),
        url(u"vod.twitch_auth_url"_s, u"TWITCH_AUTH_URL"_s,
            [](AppConfig &c) -> auto & { return helix(c).authUrl; }),
        text(u"vod.twitch_client_id"_s, u"TWITCH_CLIENT_ID"_s,
             [](AppConfig &c) -> auto & { return helix(c).clientId; }),
        text(u"vod.twitch_client_secret"_s, u"TWITCH_CLIENT_SECRET"_s,
             [](AppConfig &c) -> auto & { return helix(c).clientSecret; }, true),
    };
}

QList<ConfigKey> oauthConfigKeys()
{
    using namespace VodKeys;
    return {
        url(u"vod.twitch_redirect_uri"_s, u"TWITCH_REDIRECT_URI"_s,
            [](AppConfig &c) -> auto & { return oauth(c).twitchRedirectUri; }),
        scopes(u"vod.twitch_scopes"_s, u"TWITCH_SCOPES"_s,
               [](AppConfig &c) -> auto & { return oauth(c).twitchScopes; }),
        url(u"vod.youtube_redirect_uri"_s, u"YT_REDIRECT_URI"_s,
            [](AppConfig &c) -> auto & { return oauth(c).youtubeRedirectUri; }),
        scopes(u"vod.youtube_scopes"_s, u"YT_SCOPES"_s,
               [](AppConfig &c) -> auto & { return oauth(c).youtubeScopes; }),
        url(u"vod.google_auth_url"_s, u"GOOGLE_AUTH_URL"_s,
            [](AppConfig &c) -> auto & { return oauth(c).googleAuthUrl; }),
    };
}

} // namespace Pitwall
