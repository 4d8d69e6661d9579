#include "vod/oauthprovider.h"

#include "vod/oauthtoken.h"
#include "vod/vodconfig.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Pitwall {

OAuthProvider OAuthProvider::twitch(const VodConfig &config)
{
    OAuthProvider provider;
    provider.name = OAuthToken::twitch;
    provider.authorizeUrl = config.helix.authorizeEndpoint();
    provider.tokenUrl = config.helix.tokenEndpoint();
    provider.clientId = config.helix.clientId;
    provider.clientSecret = config.helix.clientSecret;
    provider.redirectUri = config.oauth.twitchRedirectUri;
    provider.scopes = config.oauth.twitchScopes;
    provider.clientIdKey = u"TWITCH_CLIENT_ID"_s;
    provider.clientSecretKey = u"TWITCH_CLIENT_SECRET"_s;
    provider.redirectUriKey = u"TWITCH_REDIRECT_URI"_s;
    provider.requestTimeout = config.helix.requestTimeout;
    return provider;
}

OAuthProvider OAuthProvider::youtube(const VodConfig &config)
{
    OAuthProvider provider;
    provider.name = OAuthToken::youtube;
    provider.authorizeUrl = config.oauth.googleAuthUrl;
    provider.tokenUrl = config.upload.tokenUrl;
    provider.clientId = config.upload.clientId;
    provider.clientSecret = config.upload.clientSecret;
    provider.redirectUri = config.oauth.youtubeRedirectUri;
    provider.scopes = config.oauth.youtubeScopes;
    // A refresh token, and Google asks again so it sends one even to a returning account.
    provider.extraAuthorizeFields = {{u"access_type"_s, u"offline"_s}, {u"prompt"_s, u"consent"_s}};
    provider.clientIdKey = u"YT_CLIENT_ID"_s;
    provider.clientSecretKey = u"YT_CLIENT_SECRET"_s;
    provider.redirectUriKey = u"YT_REDIRECT_URI"_s;
    provider.requestTimeout = config.upload.tokenRequestTimeout;
    return provider;
}

QStringList OAuthProvider::missingSettings() const
{
    QStringList missing;
    // The secret is checked up front too: without it the code could not be exchanged, and the
    // operator would learn that only after consenting at the provider.
    for (const auto &[unset, key] : {std::pair{clientId.isEmpty(), clientIdKey},
                                     {clientSecret.isEmpty(), clientSecretKey},
                                     {redirectUri.isEmpty(), redirectUriKey}}) {
        if (unset)
            missing << key;
    }
    return missing;
}

QUrl OAuthProvider::authorizeRequest(const QString &state) const
{
    QUrl url = authorizeUrl;
    const TokenRequest::Fields fields = TokenRequest::Fields{
            {u"response_type"_s, u"code"_s},
            {u"client_id"_s, clientId},
            {u"redirect_uri"_s, redirectUri.toString(QUrl::FullyEncoded)},
            {u"scope"_s, scopes.join(u' ')},
            {u"state"_s, state}} + extraAuthorizeFields;
    url.setQuery(QString::fromLatin1(TokenRequest::form(fields)), QUrl::StrictMode);
    return url;
}

TokenRequest::Fields OAuthProvider::exchangeForm(const QString &code) const
{
    return {{u"client_id"_s, clientId},
            {u"client_secret"_s, clientSecret},
            {u"code"_s, code},
            {u"grant_type"_s, u"authorization_code"_s},
            {u"redirect_uri"_s, redirectUri.toString(QUrl::FullyEncoded)}};
}

QJsonObject OAuthProvider::callbackAnswer(const OAuthToken &token, qint64 expiresIn) const
{
    if (name == OAuthToken::twitch) {
        const QStringList granted = token.scope.split(u' ', Qt::SkipEmptyParts);
        return {{u"status"_s, u"ok"_s},
                {u"scopes"_s, QJsonArray::fromStringList(granted)},
                {u"expires_in"_s, expiresIn}};
    }
    return {{u"status"_s, u"ok"_s},
            {u"expiry"_s, token.expiresAt.toUTC().toString(Qt::ISODate)},
            {u"access_token_present"_s, !token.accessToken.isEmpty()},
            {u"refresh_token_present"_s, !token.refreshToken.isEmpty()}};
}

} // namespace Pitwall
