#pragma once

#include <QString>
#include <QStringList>

#include <chrono>

namespace Pitwall {

// The processing queue's own settings (research §1.4, §1.6, §1.9, §1.11; §4 names the env).
struct QueueSettings
{
    enum class Ownership { Undeclared, Self, Authorized };

    QStringList channels;  // TWITCH_CHANNELS, lower case, no duplicates
    QString channel;       // TWITCH_CHANNEL: the channel list when TWITCH_CHANNELS is unset

    std::chrono::milliseconds processInterval = std::chrono::minutes(1);
    std::chrono::milliseconds catalogBackfillInterval = std::chrono::hours(6);
    int catalogMax = 0;        // 0: no limit per catalog run
    int catalogMaxAgeDays = 0; // 0: no age limit (and the kv cursor is used)
    // A failed VOD waits this long before it is tried again (next_attempt_at).
    std::chrono::milliseconds retryCooldown = std::chrono::seconds(600);

    // Uploads per channel in the last 24 h (uploaded_at); reaching it parks work as throttled.
    int uploadDailyLimit = 10;
    int backfillUploadDailyLimit = 10;
    // "Back catalogue" is older than this (BACKFILL_UPLOAD_DAILY_LIMIT counts its uploads).
    int retainKeepNewerThanDays = 7;

    int circuitFailureThreshold = 0; // 0: the breaker is disabled
    std::chrono::milliseconds circuitOpenCooldown = std::chrono::minutes(5);

    int retentionKeepDays = 0;  // 0 and 0: no retention job
    int retentionKeepCount = 0;
    bool retentionDryRun = false;
    std::chrono::milliseconds retentionInterval = std::chrono::hours(6);
    // Stale .part/.tmp files older than this are removed; 0 disables.
    std::chrono::milliseconds dataCleanupMaxAge = std::chrono::hours(24);

    bool youtubeUploadEnabled = false;
    Ownership youtubeUploadOwnership = Ownership::Undeclared;

    // A claim is held this long and renewed while the VOD is worked on; a crashed node's claims
    // become free again when they run out.
    std::chrono::milliseconds leaseDuration = std::chrono::minutes(2);

    bool rateLimitEnabled = true;
    int rateLimitRequests = 10;
    std::chrono::seconds rateLimitWindow = std::chrono::seconds(60);

    // TWITCH_CHANNELS, or TWITCH_CHANNEL alone, or nothing (the engine does not run).
    QStringList channelList() const;
    bool uploadsAllowed() const
    {
        return youtubeUploadEnabled && youtubeUploadOwnership != Ownership::Undeclared;
    }
};

} // namespace Pitwall
