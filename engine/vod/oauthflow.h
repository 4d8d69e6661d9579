#pragma once

#include "core/http/httpresponse.h"
#include "vod/oauthprovider.h"
#include "vod/oauthstatestore.h"
#include "vod/tokencipher.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <optional>

namespace Pitwall {

class Database;
struct VodConfig;

// The operator's OAuth flows for the shared tokens (provider "twitch" or "youtube", channel
// ''): start() sends the browser to the provider with a fresh state, finish() checks the state
// the provider sent back, trades the code for tokens at the provider's token endpoint and
// stores them through the encrypting OAuthTokenStore (ENCRYPTION_KEY; plaintext without one,
// as the engine does). A child of the VOD engine, so it runs on the engine's thread.
class OAuthFlow final : public QObject
{
    Q_OBJECT

public:
    OAuthFlow(const Database &database, const VodConfig &config, QObject *parent = nullptr);

    // 302 to the provider's authorization page; 400 naming the settings that are missing.
    HttpResponse start(const QString &provider);
    // The callback's query: answers 400 without code or state, for a state that was not issued
    // for this provider (or expired, or was used), and when the operator declined (error=...);
    // 502 when the token endpoint refuses or cannot be reached; 500 when storing fails;
    // otherwise 200 with the provider's summary. reply is called once, later or at once.
    void finish(const QString &provider, const QUrlQuery &query,
                std::function<void(const HttpResponse &)> reply);

private:
    const OAuthProvider *provider(const QString &name) const;
    void exchange(const OAuthProvider &provider, const QString &code,
                  std::function<void(const HttpResponse &)> reply);
    HttpResponse store(const OAuthProvider &provider, const OAuthToken &token, qint64 expiresIn);

    const Database &m_database;
    const OAuthProvider m_twitch;
    const OAuthProvider m_youtube;
    std::optional<TokenCipher> m_cipher;
    QString m_cipherError; // ENCRYPTION_KEY is set but unusable: nothing is stored then
    OAuthStateStore m_states;
    QNetworkAccessManager m_network;
};

} // namespace Pitwall
