#include "core/config/configloader.h"
#include "vod/vodconfigkeys.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Pitwall;

namespace {

QProcessEnvironment environment(const QHash<QString, QString> &vars)
{
    QProcessEnvironment env;
    for (auto it = vars.cbegin(); it != vars.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

// Loads like main does: core keys, VOD keys, then the cross-key rules.
std::optional<ConfigError> load(const ConfigSources &sources, AppConfig &config)
{
    config = ConfigLoader::defaults();
    ConfigLoader loader;
    loader.addKeys(vodConfigKeys());
    if (auto error = loader.load(sources, config))
        return error;
    return finishVodConfig(config);
}

std::optional<ConfigError> loadEnv(const QHash<QString, QString> &vars, AppConfig &config)
{
    ConfigSources sources;
    sources.environment = environment(vars);
    return load(sources, config);
}

} // namespace

class VodConfigTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void defaults()
    {
        AppConfig config;
        QVERIFY(!loadEnv({{u"PITWALL_DATA_DIR"_s, m_dir.path()}}, config));
        const QueueSettings &queue = config.vod.queue;
        QVERIFY(queue.channelList().isEmpty());
        QCOMPARE(queue.processInterval, 1min);
        QCOMPARE(queue.catalogBackfillInterval, 6h);
        QCOMPARE(queue.retryCooldown, 600s);
        QCOMPARE(queue.uploadDailyLimit, 10);
        QCOMPARE(queue.backfillUploadDailyLimit, 10);
        QCOMPARE(queue.retainKeepNewerThanDays, 7);
        QCOMPARE(queue.circuitFailureThreshold, 0);
        QCOMPARE(queue.circuitOpenCooldown, 5min);
        QCOMPARE(queue.dataCleanupMaxAge, 24h);
        QVERIFY(!queue.uploadsAllowed());
        QVERIFY(queue.rateLimitEnabled);
        QCOMPARE(queue.rateLimitRequests, 10);
        QCOMPARE(queue.rateLimitWindow, 60s);
        QCOMPARE(config.vod.download.dataDir, QDir(m_dir.path()).filePath(u"vods"_s));
        QCOMPARE(config.vod.download.maxConcurrentDownloads, 1);
        QCOMPARE(config.vod.download.urlTemplate, u"https://www.twitch.tv/videos/{id}"_s);
        QCOMPARE(config.vod.chat.ircHost, u"irc.chat.twitch.tv"_s);
        QCOMPARE(config.vod.chat.ircPort, quint16(6697));
        QVERIFY(config.vod.chat.ircTls);
    }

    void channels_data()
    {
        QTest::addColumn<QString>("channels");
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("none") << QString() << QString() << QStringList();
        QTest::newRow("single") << QString() << u"Alice"_s << QStringList{u"alice"_s};
        QTest::newRow("list wins") << u"bob, carol_2"_s << u"alice"_s
                                   << QStringList{u"bob"_s, u"carol_2"_s};
    }

    void channels()
    {
        QFETCH(QString, channels);
        QFETCH(QString, channel);
        QFETCH(QStringList, expected);
        AppConfig config;
        QVERIFY(!loadEnv({{u"TWITCH_CHANNELS"_s, channels}, {u"TWITCH_CHANNEL"_s, channel}},
                         config));
        QCOMPARE(config.vod.queue.channelList(), expected);
    }

    void environmentAndYamlSetTheFields()
    {
        AppConfig config;
        QVERIFY(!loadEnv({{u"VOD_PROCESS_INTERVAL"_s, u"15s"_s},
                          {u"CIRCUIT_FAILURE_THRESHOLD"_s, u"3"_s},
                          {u"CIRCUIT_OPEN_COOLDOWN"_s, u"5s"_s},
                          {u"RETAIN_KEEP_NEWER_THAN_DAYS"_s, u"3"_s},
                          {u"YOUTUBE_UPLOAD_ENABLED"_s, u"yes"_s},
                          {u"YOUTUBE_UPLOAD_OWNERSHIP"_s, u"Authorized"_s},
                          {u"MAX_CONCURRENT_DOWNLOADS"_s, u"2"_s},
                          {u"DOWNLOAD_RATE_LIMIT"_s, u"1.5M"_s},
                          {u"DATA_DIR"_s, m_dir.filePath(u"media"_s)},
                          {u"TWITCH_IRC_ADDR"_s, u"127.0.0.1:16667"_s},
                          {u"TWITCH_IRC_TLS"_s, u"0"_s},
                          {u"TWITCH_VOD_START"_s, u"2024-05-01T18:00:00+02:00"_s},
                          {u"RATE_LIMIT_WINDOW_SECONDS"_s, u"30"_s}},
                         config));
        QCOMPARE(config.vod.queue.processInterval, 15s);
        QCOMPARE(config.vod.queue.circuitFailureThreshold, 3);
        QCOMPARE(config.vod.queue.circuitOpenCooldown, 5s);
        QCOMPARE(config.vod.queue.retainKeepNewerThanDays, 3);
        QVERIFY(config.vod.queue.uploadsAllowed());
        QCOMPARE(config.vod.download.maxConcurrentDownloads, 2);
        QCOMPARE(config.vod.download.rateLimit, u"1.5M"_s);
        QCOMPARE(config.vod.download.dataDir, m_dir.filePath(u"media"_s));
        QCOMPARE(config.vod.chat.ircHost, u"127.0.0.1"_s);
        QCOMPARE(config.vod.chat.ircPort, quint16(16667));
        QVERIFY(!config.vod.chat.ircTls);
        QCOMPARE(config.vod.chat.manualVodStart,
                 QDateTime(QDate(2024, 5, 1), QTime(16, 0), Qt::UTC));
        QCOMPARE(config.vod.queue.rateLimitWindow, 30s);
        QVERIFY(!loadEnv({{u"ENCRYPTION_KEY"_s, QString::fromLatin1(QByteArray(32, 'k').toBase64())},
                          {u"YOUTUBE_UPLOAD_URL"_s, u"http://127.0.0.1:9000"_s}},
                         config));
        QCOMPARE(config.vod.upload.encryptionKey, QByteArray(32, 'k'));
        QCOMPARE(config.vod.upload.uploadUrl, QUrl(u"http://127.0.0.1:9000"_s));

        const QString yaml = m_dir.filePath(u"vod.yaml"_s);
        QFile file(yaml);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("vod:\n  channels: [alice, bob]\n  process_interval: 2m\n"
                   "  chat:\n    auto_start: true\n");
        file.close();
        ConfigSources sources;
        sources.yamlFile = yaml;
        QVERIFY(!load(sources, config));
        QCOMPARE(config.vod.queue.channelList(), (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(config.vod.queue.processInterval, 2min);
        QVERIFY(config.vod.chat.autoStart);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duration") << u"VOD_PROCESS_INTERVAL"_s << u"10x"_s
            << u"configuration error: VOD_PROCESS_INTERVAL=\"10x\" (environment): must be a "
               "duration such as 500ms, 30s, 5m or 1h, between 1s and 24h"_s;
        QTest::newRow("range") << u"CIRCUIT_FAILURE_THRESHOLD"_s << u"-1"_s
            << u"configuration error: CIRCUIT_FAILURE_THRESHOLD=\"-1\" (environment): must be a "
               "whole number between 0 and 1000"_s;
        QTest::newRow("rate limit") << u"DOWNLOAD_RATE_LIMIT"_s << u"fast"_s
            << u"configuration error: DOWNLOAD_RATE_LIMIT=\"fast\" (environment): must be a "
               "positive rate in bytes per second such as 500K, 1.5M or 1G"_s;
        QTest::newRow("channel twice") << u"TWITCH_CHANNELS"_s << u"alice,Alice"_s
            << u"configuration error: TWITCH_CHANNELS=\"alice,Alice\" (environment): must not "
               "name a channel twice (alice)"_s;
        QTest::newRow("channel name") << u"TWITCH_CHANNEL"_s << u"al ice"_s
            << u"configuration error: TWITCH_CHANNEL=\"al ice\" (environment): must be a Twitch "
               "login: 1..25 of a-z 0-9 _"_s;
        QTest::newRow("ownership") << u"YOUTUBE_UPLOAD_OWNERSHIP"_s << u"maybe"_s
            << u"configuration error: YOUTUBE_UPLOAD_OWNERSHIP=\"maybe\" (environment): must be "
               "self or authorized (the uploader owns or may publish the videos)"_s;
        QTest::newRow("boolean") << u"YOUTUBE_UPLOAD_ENABLED"_s << u"sure"_s
            << u"configuration error: YOUTUBE_UPLOAD_ENABLED=\"sure\" (environment): must be 1, "
               "true, yes, on or 0, false, no, off"_s;
        QTest::newRow("url template") << u"VOD_URL_TEMPLATE"_s << u"http://127.0.0.1/v.mp4"_s
            << u"configuration error: VOD_URL_TEMPLATE=\"http://127.0.0.1/v.mp4\" (environment): "
               "must be an http(s) URL containing {id}, e.g. https://www.twitch.tv/videos/{id}"_s;
        QTest::newRow("irc address") << u"TWITCH_IRC_ADDR"_s << u"irc.example"_s
            << u"configuration error: TWITCH_IRC_ADDR=\"irc.example\" (environment): must be "
               "HOST:PORT with a port 1..65535, e.g. irc.chat.twitch.tv:6697"_s;
        QTest::newRow("vod start") << u"TWITCH_VOD_START"_s << u"2024-05-01 18:00"_s
            << u"configuration error: TWITCH_VOD_START=\"2024-05-01 18:00\" (environment): must "
               "be an RFC 3339 time with a zone, e.g. 2024-05-01T18:00:00Z"_s;
        QTest::newRow("secret masked") << u"ADMIN_PASSWORD"_s << u"short"_s
            << u"configuration error: ADMIN_PASSWORD=\"***\" (environment): must be at least 12 "
               "characters"_s;
        QTest::newRow("encryption key") << u"ENCRYPTION_KEY"_s << u"c2hvcnQ="_s
            << u"configuration error: ENCRYPTION_KEY=\"***\" (environment): must be base64 of "
               "exactly 32 bytes (openssl rand -base64 32)"_s;
        QTest::newRow("upload url") << u"YOUTUBE_UPLOAD_URL"_s << u"ftp://127.0.0.1"_s
            << u"configuration error: YOUTUBE_UPLOAD_URL=\"ftp://127.0.0.1\" (environment): must "
               "be an http:// or https:// URL with a host and no query, e.g. http://127.0.0.1:9000"_s;
        QTest::newRow("helix url") << u"TWITCH_HELIX_URL"_s << u"api.twitch.tv"_s
            << u"configuration error: TWITCH_HELIX_URL=\"api.twitch.tv\" (environment): must "
               "be an http:// or https:// URL with a host and no query, e.g. http://127.0.0.1:9000"_s;
        QTest::newRow("chunk size") << u"YOUTUBE_UPLOAD_CHUNK_SIZE"_s << u"1000"_s
            << u"configuration error: YOUTUBE_UPLOAD_CHUNK_SIZE=\"1000\" (environment): must be a "
               "multiple of 256 KiB (262144 bytes) between 256 KiB and 1 GiB"_s;
        QTest::newRow("slots") << u"MAX_CONCURRENT_DOWNLOADS"_s << u"0"_s
            << u"configuration error: MAX_CONCURRENT_DOWNLOADS=\"0\" (environment): must be a "
               "whole number between 1 and 64"_s;
        QTest::newRow("rate window") << u"RATE_LIMIT_WINDOW_SECONDS"_s << u"1m"_s
            << u"configuration error: RATE_LIMIT_WINDOW_SECONDS=\"1m\" (environment): must be a "
               "whole number between 1 and 86400"_s;
        QTest::newRow("no scope") << u"TWITCH_SCOPES"_s << u" , "_s
            << u"configuration error: TWITCH_SCOPES=\" , \" (environment): must name at least "
               "one scope, separated by commas or spaces"_s;
        QTest::newRow("scope quote") << u"YT_SCOPES"_s << u"youtube \"upload\""_s
            << u"configuration error: YT_SCOPES=\"youtube \"upload\"\" (environment): must be "
               "OAuth scopes (printable ASCII without quotes or backslashes), separated by commas "
               "or spaces"_s;
        QTest::newRow("redirect uri") << u"TWITCH_REDIRECT_URI"_s << u"/auth/twitch/callback"_s
            << u"configuration error: TWITCH_REDIRECT_URI=\"/auth/twitch/callback\" (environment): "
               "must be an http:// or https:// URL with a host and no query, e.g. "
               "http://127.0.0.1:9000"_s;
    }

    void refusals()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        AppConfig config;
        const std::optional<ConfigError> error = loadEnv({{name, value}}, config);
        QVERIFY(error);
        QCOMPARE(error->toString(), expected);
    }

    void oauthFlowKeys()
    {
        AppConfig config;
        QVERIFY(!loadEnv({}, config));
        const OAuthSettings &defaults = config.vod.oauth;
        QCOMPARE(defaults.twitchScopes, (QStringList{u"chat:read"_s, u"chat:edit"_s}));
        QCOMPARE(defaults.youtubeScopes,
                 QStringList{u"https://www.googleapis.com/auth/youtube.upload"_s});
        QCOMPARE(defaults.googleAuthUrl, QUrl(u"https://accounts.google.com/o/oauth2/v2/auth"_s));
        QVERIFY(defaults.twitchRedirectUri.isEmpty());

        // Both scope lists split on commas, spaces or both (research §1.1, §1.5).
        QVERIFY(!loadEnv({{u"TWITCH_SCOPES"_s, u"chat:read,chat:edit  moderator:read:chatters"_s},
                          {u"YT_SCOPES"_s, u"https://a.example/x, https://a.example/y"_s},
                          {u"TWITCH_REDIRECT_URI"_s, u"https://ops.example/auth/twitch/callback"_s},
                          {u"YT_REDIRECT_URI"_s, u"http://127.0.0.1:8080/auth/youtube/callback"_s},
                          {u"GOOGLE_AUTH_URL"_s, u"http://127.0.0.1:9100/o/oauth2/v2/auth"_s}},
                         config));
        const OAuthSettings &oauth = config.vod.oauth;
        QCOMPARE(oauth.twitchScopes, (QStringList{u"chat:read"_s, u"chat:edit"_s,
                                                  u"moderator:read:chatters"_s}));
        QCOMPARE(oauth.youtubeScopes,
                 (QStringList{u"https://a.example/x"_s, u"https://a.example/y"_s}));
        QCOMPARE(oauth.twitchRedirectUri, QUrl(u"https://ops.example/auth/twitch/callback"_s));
        QCOMPARE(oauth.youtubeRedirectUri, QUrl(u"http://127.0.0.1:8080/auth/youtube/callback"_s));
        QCOMPARE(oauth.googleAuthUrl, QUrl(u"http://127.0.0.1:9100/o/oauth2/v2/auth"_s));
    }

    void yamlRefusalNamesThePathAndLine()
    {
        const QString yaml = m_dir.filePath(u"bad.yaml"_s);
        QFile file(yaml);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("vod:\n  circuit_open_cooldown: soon\n");
        file.close();
        ConfigSources sources;
        sources.yamlFile = yaml;
        AppConfig config;
        const std::optional<ConfigError> error = load(sources, config);
        QVERIFY(error);
        QCOMPARE(error->key, u"vod.circuit_open_cooldown"_s);
        QCOMPARE(error->source, u"bad.yaml line 2"_s);
    }

    void basicCredentialsComeInPairs()
    {
        AppConfig config;
        // The error names the missing half.
        std::optional<ConfigError> error = loadEnv({{u"ADMIN_USERNAME"_s, u"ops"_s}}, config);
        QVERIFY(error);
        QCOMPARE(error->key, u"ADMIN_PASSWORD"_s);
        QCOMPARE(error->rule, u"must be set together with ADMIN_USERNAME"_s);
        error = loadEnv({{u"ADMIN_PASSWORD"_s, u"correct-horse-battery"_s}}, config);
        QVERIFY(error);
        QCOMPARE(error->key, u"ADMIN_USERNAME"_s);
        QVERIFY(!loadEnv({{u"ADMIN_USERNAME"_s, u"ops"_s},
                          {u"ADMIN_PASSWORD"_s, u"correct-horse-battery"_s}},
                         config));
        QCOMPARE(config.adminUsername, u"ops"_s);
    }

    // Every variable the reference reads that still means something here, and the endpoints
    // issue 5 makes configurable, has a key; YAML paths are unique and under vod.
    void everyReferenceNameHasAKey()
    {
        const QStringList names{
            u"TWITCH_CHANNEL"_s, u"TWITCH_CHANNELS"_s, u"TWITCH_BOT_USERNAME"_s,
            u"TWITCH_OAUTH_TOKEN"_s, u"TWITCH_VOD_ID"_s, u"TWITCH_VOD_START"_s,
            u"CHAT_AUTO_START"_s, u"CHAT_AUTO_POLL_INTERVAL"_s, u"VOD_RECONCILE_DELAY"_s,
            u"VOD_CATALOG_BACKFILL_INTERVAL"_s, u"VOD_CATALOG_MAX"_s,
            u"VOD_CATALOG_MAX_AGE_DAYS"_s, u"VOD_PROCESS_INTERVAL"_s, u"DATA_DIR"_s,
            u"MAX_CONCURRENT_DOWNLOADS"_s, u"DOWNLOAD_RATE_LIMIT"_s, u"YTDLP_ARGS"_s,
            u"YTDLP_VERBOSE"_s, u"DOWNLOAD_MAX_ATTEMPTS"_s, u"DOWNLOAD_BACKOFF_BASE"_s,
            u"PROCESSING_RETRY_COOLDOWN"_s, u"UPLOAD_DAILY_LIMIT"_s,
            u"BACKFILL_UPLOAD_DAILY_LIMIT"_s, u"RETAIN_KEEP_NEWER_THAN_DAYS"_s,
            u"DATA_CLEANUP_MAX_AGE"_s, u"CIRCUIT_FAILURE_THRESHOLD"_s,
            u"CIRCUIT_OPEN_COOLDOWN"_s, u"RETENTION_KEEP_DAYS"_s, u"RETENTION_KEEP_COUNT"_s,
            u"RETENTION_DRY_RUN"_s, u"RETENTION_INTERVAL"_s, u"YOUTUBE_UPLOAD_ENABLED"_s,
            u"YOUTUBE_UPLOAD_OWNERSHIP"_s, u"ADMIN_USERNAME"_s, u"ADMIN_PASSWORD"_s,
            u"ADMIN_TOKEN"_s, u"RATE_LIMIT_ENABLED"_s, u"RATE_LIMIT_REQUESTS_PER_IP"_s,
            u"RATE_LIMIT_WINDOW_SECONDS"_s, u"TWITCH_IRC_ADDR"_s, u"TWITCH_IRC_TLS"_s,
            u"VOD_URL_TEMPLATE"_s, u"UPLOAD_MAX_ATTEMPTS"_s, u"UPLOAD_BACKOFF_BASE"_s,
            u"YT_CLIENT_ID"_s, u"YT_CLIENT_SECRET"_s, u"ENCRYPTION_KEY"_s, u"GOOGLE_TOKEN_URL"_s,
            u"YOUTUBE_UPLOAD_URL"_s, u"TWITCH_HELIX_URL"_s, u"TWITCH_AUTH_URL"_s,
            u"TWITCH_CLIENT_ID"_s, u"TWITCH_CLIENT_SECRET"_s, u"TWITCH_REDIRECT_URI"_s,
            u"TWITCH_SCOPES"_s, u"YT_REDIRECT_URI"_s, u"YT_SCOPES"_s, u"GOOGLE_AUTH_URL"_s,
            u"LOG_LEVEL"_s, u"LOG_FORMAT"_s, u"DB_DSN"_s, u"HTTP_ADDR"_s};
        ConfigLoader loader;
        loader.addKeys(vodConfigKeys());
        QSet<QString> known;
        QSet<QString> paths;
        for (const ConfigKey &key : loader.keys()) {
            for (const QString &name : key.envNames)
                known.insert(name);
            QVERIFY2(!paths.contains(key.yamlPath), qPrintable(key.yamlPath));
            paths.insert(key.yamlPath);
        }
        for (const QString &name : names)
            QVERIFY2(known.contains(name), qPrintable(name));
        for (const ConfigKey &key : vodConfigKeys()) {
            QVERIFY2(key.yamlPath.startsWith(u"vod."_s) || key.yamlPath.startsWith(u"admin_"_s),
                     qPrintable(key.yamlPath));
        }
    }
};

QTEST_APPLESS_MAIN(VodConfigTest)
#include "vodconfig.moc"
