#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace Pitwall {

// The operator's OAuth flows (/auth/twitch/*, /auth/youtube/*; research §1.1, §1.5, §1.8, §4).
// The client ids and secrets are HelixSettings' (TWITCH_CLIENT_*) and UploadSettings'
// (YT_CLIENT_*); the token endpoints are TWITCH_AUTH_URL's and GOOGLE_TOKEN_URL. The env names
// in the comments are mapped by the VOD config keys.
struct OAuthSettings
{
    // TWITCH_REDIRECT_URI, YT_REDIRECT_URI: where the provider sends the browser back, i.e.
    // this server's /auth/<provider>/callback as the provider's app registration names it.
    QUrl twitchRedirectUri;
    QUrl youtubeRedirectUri;
    // TWITCH_SCOPES, YT_SCOPES: separated by commas or spaces in the setting.
    QStringList twitchScopes{QStringLiteral("chat:read"), QStringLiteral("chat:edit")};
    QStringList youtubeScopes{QStringLiteral("https://www.googleapis.com/auth/youtube.upload")};
    // GOOGLE_AUTH_URL: Google's authorization endpoint (configurable for offline tests).
    QUrl googleAuthUrl = QUrl(QStringLiteral("https://accounts.google.com/o/oauth2/v2/auth"));
    // How long a state handed out by /start may come back to /callback.
    std::chrono::milliseconds stateLifetime = std::chrono::minutes(10);
};

} // namespace Pitwall
