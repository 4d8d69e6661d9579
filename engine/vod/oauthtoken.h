#pragma once

#include <QDateTime>
#include <QString>

#include <chrono>

namespace Pitwall {

// One row of oauth_tokens, decrypted.
struct OAuthToken
{
    static inline const QString youtube = QStringLiteral("youtube");
    static inline const QString twitch = QStringLiteral("twitch");

    QString provider;
    QString channel; // '' is the token every channel shares
    QString accessToken;
    QString refreshToken;
    QString scope;
    QDateTime expiresAt; // UTC; invalid when unknown
    QDateTime updatedAt; // UTC, as read

    // True when the access token is gone by now + margin, or its expiry is unknown.
    bool expiresWithin(std::chrono::milliseconds margin, const QDateTime &now) const
    {
        return !expiresAt.isValid() || expiresAt <= now.addMSecs(margin.count());
    }
};

} // namespace Pitwall
