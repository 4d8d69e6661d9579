#pragma once

#include "core/log/loglevel.h"
#include "vod/vodconfig.h"

#include <QHostAddress>
#include <QString>

#include <chrono>

namespace Pitwall {

// Everything the core needs to start, after defaults < YAML < environment < command line have
// been merged by ConfigLoader. Engines add their own sections as they land.
struct AppConfig
{
    QString dataDir;
    // DATABASE_URL / DB_DSN as given; empty means SQLite in the data dir. Contains a password.
    QString databaseUrl;
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 bindPort = 8080;
    LogLevel logLevel = LogLevel::Info;
    LogFormat logFormat = LogFormat::Text;
    QString adminToken;
    // ADMIN_USERNAME + ADMIN_PASSWORD: HTTP Basic for the admin routes, both or neither.
    QString adminUsername;
    QString adminPassword;
    QString nodeId;

    qint64 httpMaxBodyBytes = 16 * 1024 * 1024;
    std::chrono::milliseconds httpRequestTimeout = std::chrono::seconds(30);
    std::chrono::milliseconds httpKeepAliveTimeout = std::chrono::seconds(60);

    std::chrono::milliseconds databaseBusyTimeout = std::chrono::seconds(5);
    std::chrono::milliseconds databaseRetryMaxBackoff = std::chrono::seconds(30);

    // --watch-config / WATCH_CONFIG: the watch scanner runs when this names a file.
    QString watchConfigFile;

    // DASHBOARD_DIR: a web dashboard build served at "/" instead of the built-in one.
    QString dashboardDir;

    // Relay sessions: WebSocket ping + heartbeat period, silence that closes a session, and the
    // unsent bytes past which a slow receiver is closed (it resumes from its cursor).
    std::chrono::milliseconds relayPingInterval = std::chrono::seconds(30);
    std::chrono::milliseconds relayIdleTimeout = std::chrono::seconds(90);
    qint64 relaySendQueueBytes = 16 * 1024 * 1024;

    // The VOD queue; it runs when channels are configured (vod.queue.channelList()).
    VodConfig vod;

    // How long SIGTERM waits for in-flight requests and database work before leaving anyway.
    std::chrono::milliseconds shutdownTimeout = std::chrono::seconds(10);

    QString bindEndpoint() const;
};

} // namespace Pitwall
