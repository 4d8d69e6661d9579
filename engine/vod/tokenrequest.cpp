#include "vod/tokenrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Pitwall::TokenRequest {

namespace {

// vod-tender's ComputeExpiry: a token without a lifetime counts as valid for an hour.
constexpr qint64 defaultLifetimeSeconds = 3600;

} // namespace

QByteArray form(const Fields &fields)
{
    QByteArrayList pairs;
    for (const auto &[name, value] : fields)
        pairs << QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    return pairs.join('&');
}

QNetworkReply *post(QNetworkAccessManager &network, const QUrl &url, const Fields &fields,
                    std::chrono::milliseconds timeout)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
    request.setTransferTimeout(int(timeout.count()));
    return network.post(request, form(fields));
}

QString failure(int status, const QString &networkError, const QByteArray &body)
{
    if (status == 0)
        return u"token endpoint unreachable: "_s + networkError;
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QString text = u"token endpoint answered HTTP %1"_s.arg(status);
    const QString code = object.value(u"error"_s).toString();
    if (!code.isEmpty())
        text += u" "_s + code;
    QString description = object.value(u"error_description"_s).toString();
    if (description.isEmpty())
        description = object.value(u"message"_s).toString();
    if (!description.isEmpty())
        text += u": "_s + description.left(300);
    return text;
}

std::optional<OAuthToken> parse(const OAuthToken &current, const QByteArray &body,
                                const QDateTime &now, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    OAuthToken token = current;
    token.accessToken = object.value(u"access_token"_s).toString();
    if (token.accessToken.isEmpty()) {
        if (error)
            *error = u"token endpoint answered without an access_token"_s;
        return std::nullopt;
    }
    // Google rotates refresh tokens rarely and usually sends none: keep the one we have.
    const QString refreshToken = object.value(u"refresh_token"_s).toString();
    if (!refreshToken.isEmpty())
        token.refreshToken = refreshToken;
    const QJsonValue scopeValue = object.value(u"scope"_s);
    QStringList scopes;
    for (const QJsonValue &scope : scopeValue.toArray())
        scopes << scope.toString();
    const QString scope = scopeValue.isArray() ? scopes.join(u' ') : scopeValue.toString();
    if (!scope.isEmpty())
        token.scope = scope;
    const qint64 lifetime = object.value(u"expires_in"_s).toInteger(0);
    token.expiresAt = now.toUTC().addSecs(lifetime > 0 ? lifetime : defaultLifetimeSeconds);
    return token;
}

std::optional<OAuthToken> read(QNetworkReply &reply, const OAuthToken &current,
                               const QDateTime &now, QString *error)
{
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply.readAll();
    if (status != 200) {
        if (error)
            *error = failure(status, reply.errorString(), body);
        return std::nullopt;
    }
    return parse(current, body, now, error);
}

} // namespace Pitwall::TokenRequest
