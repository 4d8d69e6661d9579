#pragma once

#include <QDateTime>
#include <QString>

#include <chrono>

namespace Pitwall {

// Chat recording for one daemon (research §1.7, §4). Part of the VOD configuration; every
// channel's recorder uses the same IRC server, bot login and timings.
struct ChatSettings
{
    // TWITCH_IRC_ADDR ("host:port") and TWITCH_IRC_TLS.
    QString ircHost = QStringLiteral("irc.chat.twitch.tv");
    quint16 ircPort = 6697;
    bool ircTls = true;
    // TWITCH_BOT_USERNAME and TWITCH_OAUTH_TOKEN (a user token with chat:read; the "oauth:"
    // prefix is optional). Without both nothing is recorded.
    QString botUsername;
    QString oauthToken;

    // CHAT_AUTO_START=1: follow the channel's live status and record each broadcast under a
    // live session, reconciled with the archived VOD afterwards.
    bool autoStart = false;
    // CHAT_AUTO_POLL_INTERVAL: how often the live status is asked.
    std::chrono::milliseconds autoPollInterval = std::chrono::seconds(30);
    // VOD_RECONCILE_DELAY: wait after the stream went offline before looking for the archive.
    std::chrono::milliseconds reconcileDelay = std::chrono::minutes(1);
    // Reconciliation gives up when this much time has passed since the stream went offline,
    // trying again every reconcileRetry.
    std::chrono::milliseconds reconcileWindow = std::chrono::minutes(15);
    std::chrono::milliseconds reconcileRetry = std::chrono::seconds(30);
    // How far an archive's created_at may lie from the live session's started_at.
    std::chrono::milliseconds reconcileTolerance = std::chrono::minutes(10);

    // Manual mode (autoStart off): TWITCH_VOD_ID and TWITCH_VOD_START (RFC 3339; invalid means
    // the time recording starts).
    QString manualVodId = QStringLiteral("demo-vod-id");
    QDateTime manualVodStart;

    // Buffered messages are written every flushInterval, or as soon as flushBatchSize wait.
    std::chrono::milliseconds flushInterval = std::chrono::seconds(1);
    int flushBatchSize = 200;

    // IRC keep-alive: a PING after this much silence, and a reconnect when no answer comes
    // within pongTimeout (the values of Twitch's reference client).
    std::chrono::milliseconds pingInterval = std::chrono::seconds(15);
    std::chrono::milliseconds pongTimeout = std::chrono::seconds(5);
    // Reconnect delays double from the first to the cap.
    std::chrono::milliseconds reconnectInitialDelay = std::chrono::seconds(1);
    std::chrono::milliseconds reconnectMaxDelay = std::chrono::minutes(1);

    bool hasCredentials() const { return !botUsername.isEmpty() && !oauthToken.isEmpty(); }
};

} // namespace Pitwall
