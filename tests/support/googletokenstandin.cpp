#include "googletokenstandin.h"

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;

namespace {

HttpResponse oauthError(int status, const QString &code, const QString &description)
{
    return HttpResponse::json(QJsonObject{{u"error"_s, code}, {u"error_description"_s, description}},
                              status);
}

} // namespace

GoogleTokenStandIn::GoogleTokenStandIn(QString clientId, QString clientSecret,
                                       QString refreshToken)
    : m_clientId(std::move(clientId))
    , m_clientSecret(std::move(clientSecret))
    , m_refreshToken(std::move(refreshToken))
    , m_response{{u"access_token"_s, u"A1"_s},
                 {u"expires_in"_s, 3600},
                 {u"token_type"_s, u"Bearer"_s},
                 {u"scope"_s, u"https://www.googleapis.com/auth/youtube.upload"_s}}
{
    m_http.router().addRoute("POST", u"/token"_s, Pitwall::SyncHandler([this](const HttpRequest &r) {
        return answer(r);
    }));
}

bool GoogleTokenStandIn::start()
{
    return m_http.start();
}

QString GoogleTokenStandIn::tokenUrl() const
{
    return m_http.url(u"/token"_s);
}

void GoogleTokenStandIn::failNext(int count, int status, const QString &code)
{
    m_failures = count;
    m_failureStatus = status;
    m_failureCode = code;
}

void GoogleTokenStandIn::addAuthorizationCode(const QString &code, const QString &redirectUri,
                                              const QJsonObject &response)
{
    m_codes.insert(code, {redirectUri, response});
}

// A code is spent by its first use, whatever the outcome, as Google does.
HttpResponse GoogleTokenStandIn::codeGrant(const QUrlQuery &form)
{
    const QString code = form.queryItemValue(u"code"_s, QUrl::FullyDecoded);
    if (!m_codes.contains(code))
        return oauthError(400, u"invalid_grant"_s, u"Malformed auth code."_s);
    const auto [redirectUri, response] = m_codes.take(code);
    if (form.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded) != redirectUri)
        return oauthError(400, u"redirect_uri_mismatch"_s, u"Bad Request"_s);
    return HttpResponse::json(response);
}

HttpResponse GoogleTokenStandIn::answer(const HttpRequest &request)
{
    // Form encoding writes spaces as '+', which QUrlQuery leaves alone.
    QByteArray body = request.body;
    const QUrlQuery form(QString::fromUtf8(body.replace('+', ' ')));
    m_forms.append(form);
    if (m_failures > 0) {
        --m_failures;
        return oauthError(m_failureStatus, m_failureCode, u"scripted failure"_s);
    }
    if (!request.header("Content-Type").startsWith("application/x-www-form-urlencoded"))
        return oauthError(400, u"invalid_request"_s, u"form body expected"_s);
    if (form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded) != m_clientId
        || form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded) != m_clientSecret)
        return oauthError(401, u"invalid_client"_s, u"The OAuth client was not found."_s);
    const QString grantType = form.queryItemValue(u"grant_type"_s);
    if (grantType == u"authorization_code"_s)
        return codeGrant(form);
    if (grantType != u"refresh_token"_s)
        return oauthError(400, u"unsupported_grant_type"_s, u"Invalid grant_type"_s);
    if (form.queryItemValue(u"refresh_token"_s, QUrl::FullyDecoded) != m_refreshToken)
        return oauthError(400, u"invalid_grant"_s, u"Token has been expired or revoked."_s);
    return HttpResponse::json(m_response);
}
