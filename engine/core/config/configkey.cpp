#include "core/config/configkey.h"

#include "core/config/duration.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

namespace Pitwall {

namespace ConfigRules {

std::optional<QString> duration(milliseconds &out, const QString &value, milliseconds min,
                                milliseconds max)
{
    const auto parsed = parseDuration(value);
    const QString range = u"between %1 and %2"_s.arg(formatDuration(min), formatDuration(max));
    if (!parsed)
        return u"must be a duration such as 500ms, 30s, 5m or 1h, %1"_s.arg(range);
    if (*parsed < min || *parsed > max)
        return u"must be %1"_s.arg(range);
    out = *parsed;
    return std::nullopt;
}

std::optional<QString> integer(qint64 &out, const QString &value, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 parsed = value.trimmed().toLongLong(&ok);
    if (!ok || parsed < min || parsed > max)
        return u"must be a whole number between %1 and %2"_s.arg(min).arg(max);
    out = parsed;
    return std::nullopt;
}

std::optional<QString> endpoint(QHostAddress &address, quint16 &port, const QString &value)
{
    static const QString rule =
        u"must be HOST:PORT with an IP address or localhost and a port 0..65535, "
        "e.g. 127.0.0.1:8080, 0.0.0.0:8080, [::1]:8080 or :8080"_s;
    const qsizetype colon = value.lastIndexOf(u':');
    if (colon < 0)
        return rule;
    QString host = value.left(colon);
    bool ok = false;
    const uint parsedPort = value.mid(colon + 1).toUInt(&ok);
    if (!ok || parsedPort > 65535)
        return rule;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QHostAddress parsedAddress;
    if (host.isEmpty())
        parsedAddress = QHostAddress(QHostAddress::Any); // ":8080" listens everywhere, as in Go
    else if (host == u"localhost")
        parsedAddress = QHostAddress(QHostAddress::LocalHost);
    else if (!parsedAddress.setAddress(host))
        return rule;
    address = parsedAddress;
    port = quint16(parsedPort);
    return std::nullopt;
}

} // namespace ConfigRules

QList<ConfigKey> coreConfigKeys()
{
    auto durationSetting = [](milliseconds AppConfig::*field, milliseconds min, milliseconds max) {
        return [=](AppConfig &config, const QString &value) {
            return ConfigRules::duration(config.*field, value, min, max);
        };
    };

    return {
        {u"data_dir"_s, {u"PITWALL_DATA_DIR"_s}, u"data-dir"_s, false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             if (value.trimmed().isEmpty())
                 return u"must not be empty"_s;
             config.dataDir = value.trimmed();
             return std::nullopt;
         }},
        {u"database_url"_s, {u"DATABASE_URL"_s, u"DB_DSN"_s}, u"database-url"_s, true,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             config.databaseUrl = value.trimmed();
             return std::nullopt;
         }},
        {u"bind_addr"_s, {u"BIND_ADDR"_s, u"HTTP_ADDR"_s}, u"bind"_s, false,
         [](AppConfig &config, const QString &value) {
             return ConfigRules::endpoint(config.bindAddress, config.bindPort, value.trimmed());
         }},
        {u"log_level"_s, {u"LOG_LEVEL"_s}, u"log-level"_s, false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const auto level = parseLogLevel(value.trimmed());
             if (!level)
                 return u"must be one of trace, debug, info, warn, error"_s;
             config.logLevel = *level;
             return std::nullopt;
         }},
        {u"log_format"_s, {u"LOG_FORMAT"_s}, u"log-format"_s, false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const auto format = parseLogFormat(value.trimmed());
             if (!format)
                 return u"must be text or json"_s;
             config.logFormat = *format;
             return std::nullopt;
         }},
        {u"admin_token"_s, {u"ADMIN_TOKEN"_s}, QString(), true,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             // A short shared secret on an API that provisions device tokens is a liability.
             if (!value.isEmpty() && value.trimmed().size() < 16)
                 return u"must be at least 16 characters (or unset for loopback-only admin)"_s;
             config.adminToken = value.trimmed();
             return std::nullopt;
         }},
        {u"node_id"_s, {u"NODE_ID"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             static const QRegularExpression pattern(u"^[A-Za-z0-9._-]{1,64}$"_s);
             if (!pattern.match(value.trimmed()).hasMatch())
                 return u"must be 1..64 characters of A-Z a-z 0-9 . _ -"_s;
             config.nodeId = value.trimmed();
             return std::nullopt;
         }},
        {u"watch_config"_s, {u"WATCH_CONFIG"_s}, u"watch-config"_s, false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const QFileInfo file(value.trimmed());
             if (!file.isFile() || !file.isReadable())
                 return u"must name a readable watch-config.yaml"_s;
             config.watchConfigFile = file.absoluteFilePath();
             return std::nullopt;
         }},
        {u"dashboard_dir"_s, {u"DASHBOARD_DIR"_s}, QString(), false,
         [](AppConfig &config, const QString &value) -> std::optional<QString> {
             const QDir dir(value.trimmed());
             if (value.trimmed().isEmpty() || !dir.exists()
                 || !QFileInfo(dir.filePath(u"index.html"_s)).isFile())
                 return u"must be an existing directory containing index.html"_s;
             config.dashboardDir = dir.absolutePath();
             return std::nullopt;
         }},
        {u"http.max_body_bytes"_s, {u"HTTP_MAX_BODY_BYTES"_s}, QString(), false,
         [](AppConfig &config, const QString &value) {
             return ConfigRules::integer(config.httpMaxBodyBytes, value, 1024, qint64(1) << 30);
         }},
        {u"http.request_timeout"_s, {u"HTTP_REQUEST_TIMEOUT"_s}, QString(), false,
         durationSetting(&AppConfig::httpRequestTimeout, 1s, 10min)},
        {u"http.keep_alive_timeout"_s, {u"HTTP_KEEP_ALIVE_TIMEOUT"_s}, QString(), false,
         durationSetting(&AppConfig::httpKeepAliveTimeout, 1s, 1h)},
        {u"database.busy_timeout"_s, {u"DATABASE_BUSY_TIMEOUT"_s}, QString(), false,
         durationSetting(&AppConfig::databaseBusyTimeout, 0ms, 10min)},
        {u"database.retry_max_backoff"_s, {u"DATABASE_RETRY_MAX_BACKOFF"_s}, QString(), false,
         durationSetting(&AppConfig::databaseRetryMaxBackoff, 1s, 10min)},
        {u"relay.ping_interval"_s, {u"RELAY_PING_INTERVAL"_s}, QString(), false,
         durationSetting(&AppConfig::relayPingInterval, 100ms, 10min)},
        {u"relay.idle_timeout"_s, {u"RELAY_IDLE_TIMEOUT"_s}, QString(), false,
         durationSetting(&AppConfig::relayIdleTimeout, 300ms, 1h)},
        {u"relay.send_queue_bytes"_s, {u"RELAY_SEND_QUEUE_BYTES"_s}, QString(), false,
         [](AppConfig &config, const QString &value) {
             return ConfigRules::integer(config.relaySendQueueBytes, value, 64 * 1024,
                                         qint64(1) << 30);
         }},
        {u"shutdown_timeout"_s, {u"SHUTDOWN_TIMEOUT"_s}, QString(), false,
         durationSetting(&AppConfig::shutdownTimeout, 1s, 10min)},
    };
}

} // namespace Pitwall
