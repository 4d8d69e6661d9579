#pragma once

#include "vod/tokenrequest.h"

#include <QJsonObject>
#include <QStringList>
#include <QUrl>

namespace Pitwall {

struct OAuthToken;
struct VodConfig;

// One provider's authorization-code flow (RFC 6749 §4.1) as the VOD settings describe it:
// Twitch (research §1.1: <TWITCH_AUTH_URL>/oauth2/authorize and /oauth2/token) or Google
// (§1.5: GOOGLE_AUTH_URL with access_type=offline and prompt=consent, GOOGLE_TOKEN_URL).
struct OAuthProvider
{
    QString name; // OAuthToken::twitch or OAuthToken::youtube, also the token row's provider
    QUrl authorizeUrl;
    QUrl tokenUrl;
    QString clientId;
    QString clientSecret;
    QUrl redirectUri;
    QStringList scopes;
    TokenRequest::Fields extraAuthorizeFields;
    // The env names of the three settings a flow needs, for "not configured" answers.
    QString clientIdKey;
    QString clientSecretKey;
    QString redirectUriKey;
    std::chrono::milliseconds requestTimeout{0};

    static OAuthProvider twitch(const VodConfig &config);
    static OAuthProvider youtube(const VodConfig &config);

    // The env names of what is not set, e.g. {"TWITCH_CLIENT_ID", "TWITCH_REDIRECT_URI"}.
    QStringList missingSettings() const;
    // The URL the operator's browser is sent to; scopes are joined with spaces.
    QUrl authorizeRequest(const QString &state) const;
    // The form that trades the code for tokens at tokenUrl.
    TokenRequest::Fields exchangeForm(const QString &code) const;
    // The callback's answer for a stored token; expiresIn is the granted lifetime in seconds.
    QJsonObject callbackAnswer(const OAuthToken &token, qint64 expiresIn) const;
};

} // namespace Pitwall
