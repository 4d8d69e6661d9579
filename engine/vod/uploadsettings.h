#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace Pitwall {

// YouTube uploads and the Google OAuth token they use (research §1.5, §1.8, §4). The env names
// in the comments are mapped by the VOD config keys.
struct UploadSettings
{
    // Chunks must be whole multiples of this (the resumable protocol's rule).
    static constexpr qint64 chunkGranularity = 256 * 1024;

    // YOUTUBE_UPLOAD_URL: the API's base; initiationUrl() adds the resumable upload path.
    QUrl uploadUrl = QUrl(QStringLiteral("https://www.googleapis.com"));
    // GOOGLE_TOKEN_URL: where the refresh_token grant is posted.
    QUrl tokenUrl = QUrl(QStringLiteral("https://oauth2.googleapis.com/token"));
    // YT_CLIENT_ID, YT_CLIENT_SECRET: the OAuth client of the refresh grant.
    QString clientId;
    QString clientSecret;
    // YOUTUBE_UPLOAD_CHUNK_SIZE: bytes per chunk PUT, a multiple of chunkGranularity. Google
    // advises few, large requests: every chunk waits for its answer before the next starts (on
    // loopback, 8 MiB chunks reach 0.6 of one whole-file PUT, 256 MiB chunks about 0.95), and
    // an interrupted chunk costs nothing, as the status query says what the server kept.
    qint64 chunkSize = 256 * 1024 * 1024;
    // UPLOAD_MAX_ATTEMPTS: tries of one step (the initiation, or getting one chunk committed)
    // before the upload fails as transient; after n failed tries the wait is
    // UPLOAD_BACKOFF_BASE * 2^n + [0, base).
    int maxAttempts = 5;
    std::chrono::milliseconds backoffBase = std::chrono::seconds(2);
    // A request that moves no byte for this long is aborted and counts as a network error.
    std::chrono::milliseconds stallTimeout = std::chrono::minutes(2);
    // ENCRYPTION_KEY, decoded: 32 bytes of AES-256 key; empty stores tokens in plaintext.
    QByteArray encryptionKey;
    // OAuthRefresher: how often it looks, and which tokens it renews ahead of their expiry.
    std::chrono::milliseconds refreshInterval = std::chrono::minutes(5);
    std::chrono::milliseconds refreshWindow = std::chrono::minutes(20);
    // ensureFresh() renews a token that expires sooner than this.
    std::chrono::milliseconds ensureFreshMargin = std::chrono::minutes(2);
    // One token request may take this long.
    std::chrono::milliseconds tokenRequestTimeout = std::chrono::seconds(15);

    // <uploadUrl>/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status
    QUrl initiationUrl() const;
    // The rule a chunk size breaks: a positive multiple of 256 KiB, at most 1 GiB.
    static std::optional<QString> chunkSizeRule(qint64 bytes);
};

} // namespace Pitwall
