#include "vod/oauthflow.h"

#include "core/log/logcategories.h"
#include "core/log/logsink.h"
#include "vod/oauthtokenstore.h"
#include "vod/vodconfig.h"

#include <QJsonObject>
#include <QNetworkReply>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QString queryValue(const QUrlQuery &query, const QString &name)
{
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

} // namespace

OAuthFlow::OAuthFlow(const Database &database, const VodConfig &config, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_twitch(OAuthProvider::twitch(config))
    , m_youtube(OAuthProvider::youtube(config))
    , m_states(config.oauth.stateLifetime)
    , m_network(this) // a child, so it moves to the engine's thread with the flow
{
    if (!config.upload.encryptionKey.isEmpty())
        m_cipher = TokenCipher::fromKey(config.upload.encryptionKey, &m_cipherError);
}

const OAuthProvider *OAuthFlow::provider(const QString &name) const
{
    if (name == OAuthToken::twitch)
        return &m_twitch;
    return name == OAuthToken::youtube ? &m_youtube : nullptr;
}

HttpResponse OAuthFlow::start(const QString &name)
{
    const OAuthProvider *flow = provider(name);
    if (!flow)
        return HttpResponse::error(404, u"unknown OAuth provider"_s);
    const QStringList missing = flow->missingSettings();
    if (!missing.isEmpty())
        return HttpResponse::error(400, u"%1 OAuth is not configured: set %2"_s.arg(
                                                name, missing.join(u", "_s)));
    const std::optional<QString> state = m_states.issue(name);
    if (!state)
        return HttpResponse::error(503, u"too many OAuth flows in progress; try again later"_s);
    HttpResponse redirect(302);
    redirect.setHeader("Location", flow->authorizeRequest(*state).toEncoded());
    redirect.setHeader("Cache-Control", "no-store");
    return redirect;
}

void OAuthFlow::finish(const QString &name, const QUrlQuery &query,
                       std::function<void(const HttpResponse &)> reply)
{
    const OAuthProvider *flow = provider(name);
    if (!flow) {
        reply(HttpResponse::error(404, u"unknown OAuth provider"_s));
        return;
    }
    const QString state = queryValue(query, u"state"_s);
    const QString refused = queryValue(query, u"error"_s);
    if (!refused.isEmpty()) {
        // The operator declined (or the provider refused the request): the state is spent.
        m_states.take(state, name);
        const QString description = queryValue(query, u"error_description"_s).left(300);
        const QString detail = description.isEmpty() ? QString() : u" ("_s + description + u")"_s;
        reply(HttpResponse::error(
                400, u"%1 authorisation refused: %2%3"_s.arg(name, refused, detail)));
        return;
    }
    const QString code = queryValue(query, u"code"_s);
    if (code.isEmpty() || state.isEmpty()) {
        reply(HttpResponse::error(400, u"missing code/state"_s));
        return;
    }
    if (!m_states.take(state, name)) {
        reply(HttpResponse::error(400, u"invalid state"_s));
        return;
    }
    exchange(*flow, code, std::move(reply));
}

void OAuthFlow::exchange(const OAuthProvider &flow, const QString &code,
                         std::function<void(const HttpResponse &)> reply)
{
    LogSink::addSecret(flow.clientSecret);
    QNetworkReply *answer = TokenRequest::post(m_network, flow.tokenUrl,
                                               flow.exchangeForm(code), flow.requestTimeout);
    connect(answer, &QNetworkReply::finished, this, [this, answer, &flow, reply] {
        answer->deleteLater();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        // Scopes the provider does not echo are the ones asked for.
        OAuthToken asked;
        asked.provider = flow.name;
        asked.channel = u""_s;
        asked.scope = flow.scopes.join(u' ');
        QString error;
        const std::optional<OAuthToken> token = TokenRequest::read(*answer, asked, now, &error);
        if (!token) {
            qCWarning(lcVod).noquote() << flow.name << "OAuth code exchange failed:" << error;
            reply(HttpResponse::error(502,
                                      u"%1 token exchange failed: %2"_s.arg(flow.name, error)));
            return;
        }
        reply(store(flow, *token, now.secsTo(token->expiresAt)));
    });
}

HttpResponse OAuthFlow::store(const OAuthProvider &flow, const OAuthToken &token,
                              qint64 expiresIn)
{
    LogSink::addSecret(token.accessToken);
    LogSink::addSecret(token.refreshToken);
    if (!m_cipherError.isEmpty())
        return HttpResponse::error(500, u"the %1 token was not stored: ENCRYPTION_KEY is "
                                         "unusable: %2"_s.arg(flow.name, m_cipherError));
    if (!m_cipher)
        qCWarning(lcVod) << "ENCRYPTION_KEY is not set: the OAuth token is stored in plaintext";
    StoreError error;
    if (!OAuthTokenStore(m_database, m_cipher ? &*m_cipher : nullptr).write(token, &error))
        return HttpResponse::error(500, u"the %1 token could not be stored: %2"_s.arg(
                                                flow.name, error.message));
    qCInfo(lcVod).noquote() << flow.name << "OAuth token stored, valid until"
                            << token.expiresAt.toString(Qt::ISODate);
    return HttpResponse::json(flow.callbackAnswer(token, expiresIn));
}

} // namespace Pitwall
