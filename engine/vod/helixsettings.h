#pragma once

#include <QString>
#include <QUrl>

#include <chrono>

namespace Pitwall {

// The Twitch Helix API and the app token it needs (research §1.1). The env names in the
// comments are mapped by the VOD config keys; the retry numbers are vod-tender's.
struct HelixSettings
{
    // TWITCH_HELIX_URL: the API's base; requests go to <helixUrl>/helix/<endpoint>.
    QUrl helixUrl = QUrl(QStringLiteral("https://api.twitch.tv"));
    // TWITCH_AUTH_URL: the client-credentials grant is posted to <authUrl>/oauth2/token.
    QUrl authUrl = QUrl(QStringLiteral("https://id.twitch.tv"));
    // TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET: the application of the app token.
    QString clientId;
    QString clientSecret;

    // Attempts of one call, counting 429s and 5xx; transport errors and 5xx wait
    // backoffBase * 2^(attempt-1), at most backoffCap, before the next one.
    int maxAttempts = 4;
    std::chrono::milliseconds backoffBase = std::chrono::milliseconds(250);
    std::chrono::milliseconds backoffCap = std::chrono::seconds(2);
    // A request that moves no byte for this long is aborted and counts as a transport error.
    std::chrono::milliseconds requestTimeout = std::chrono::seconds(30);
    // The cached app token is renewed when less than this much of its validity is left.
    std::chrono::milliseconds tokenRenewMargin = std::chrono::seconds(60);

    bool hasCredentials() const { return !clientId.isEmpty() && !clientSecret.isEmpty(); }
    // <helixUrl>/helix/<endpoint> and <authUrl>/oauth2/token, keeping a path prefix of the base.
    QUrl helixEndpoint(const QString &endpoint) const;
    QUrl tokenEndpoint() const;
    // <authUrl>/oauth2/authorize, where the user OAuth flow sends the operator's browser.
    QUrl authorizeEndpoint() const;
};

} // namespace Pitwall
