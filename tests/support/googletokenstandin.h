#pragma once

#include "httptestserver.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>

// Google's OAuth token endpoint (POST /token) on 127.0.0.1, for the refresh_token and
// authorization_code grants: it checks the form's grant_type, client_id, client_secret and
// refresh_token (or code and redirect_uri) the way Google does (invalid_client, invalid_grant,
// redirect_uri_mismatch, unsupported_grant_type) and answers the scripted token response.
// Every request's form is recorded.
class GoogleTokenStandIn
{
public:
    GoogleTokenStandIn(QString clientId, QString clientSecret, QString refreshToken);

    bool start();
    // The endpoint to configure as GOOGLE_TOKEN_URL.
    QString tokenUrl() const;

    // The body of a successful refresh; by default {"access_token":"A1","expires_in":3600,
    // "token_type":"Bearer","scope":"https://www.googleapis.com/auth/youtube.upload"}.
    void setResponse(const QJsonObject &response) { m_response = response; }
    // The next `count` requests are answered `status` with {"error": code}.
    void failNext(int count, int status, const QString &code);
    // A code Google's consent page would have handed to redirectUri: the authorization_code
    // grant trades it once (with the same redirect_uri) for response.
    void addAuthorizationCode(const QString &code, const QString &redirectUri,
                              const QJsonObject &response);

    const QList<QUrlQuery> &forms() const { return m_forms; }
    const QList<HttpTestServer::Observed> &observed() const { return m_http.observed(); }

private:
    Pitwall::HttpResponse answer(const Pitwall::HttpRequest &request);
    Pitwall::HttpResponse codeGrant(const QUrlQuery &form);

    HttpTestServer m_http;
    const QString m_clientId;
    const QString m_clientSecret;
    const QString m_refreshToken;
    QJsonObject m_response;
    QHash<QString, std::pair<QString, QJsonObject>> m_codes; // code -> redirect_uri, response
    QList<QUrlQuery> m_forms;
    int m_failures = 0;
    int m_failureStatus = 0;
    QString m_failureCode;
};
