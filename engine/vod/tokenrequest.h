#pragma once

#include "vod/oauthtoken.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>
#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

namespace Pitwall {

// What every OAuth token request has in common (RFC 6749 §4.1.3, §4.4, §6): a form POSTed to
// the provider's token endpoint, a JSON answer with access_token/expires_in/refresh_token/scope,
// and an error body. GoogleTokenClient, TwitchAppToken and OAuthFlow all post through here.
namespace TokenRequest {

using Fields = QList<std::pair<QString, QString>>;

// application/x-www-form-urlencoded, every value percent-encoded (also usable as a URL query).
QByteArray form(const Fields &fields);
// POSTs the form; the caller connects to the reply's finished() and deletes it.
QNetworkReply *post(QNetworkAccessManager &network, const QUrl &url, const Fields &fields,
                    std::chrono::milliseconds timeout);
// "token endpoint answered HTTP 400 invalid_grant: Malformed auth code." from an OAuth error
// body (error/error_description, or Twitch's message); status 0 is "unreachable: <error>".
// It never contains a secret of the request.
QString failure(int status, const QString &networkError, const QByteArray &body);
// The token a successful answer makes of current: the new access token, expiry now +
// expires_in (an hour when absent), and current's refresh token and scope when the answer
// carries none. Twitch sends the scope as an array: it is joined with spaces. std::nullopt (and
// *error) without an access token.
std::optional<OAuthToken> parse(const OAuthToken &current, const QByteArray &body,
                                const QDateTime &now, QString *error);
// A finished reply: parse() of a 200's body, else std::nullopt and *error from failure().
std::optional<OAuthToken> read(QNetworkReply &reply, const OAuthToken &current,
                               const QDateTime &now, QString *error);

} // namespace TokenRequest

} // namespace Pitwall
