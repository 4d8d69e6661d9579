#include "vod/googletokenclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr qint64 defaultLifetimeSeconds = 3600;

QByteArray formBody(const QList<QPair<QString, QString>> &fields)
{
    QByteArrayList pairs;
    for (const auto &[name, value] : fields)
        pairs << name.toUtf8() + '=' + QUrl::toPercentEncoding(value);
    return pairs.join('&');
}

// "HTTP 400 invalid_grant: Token has been expired or revoked." from Google's error body.
QString failureText(int status, const QString &networkError, const QByteArray &body)
{
    if (status == 0)
        return u"token endpoint unreachable: "_s + networkError;
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QString text = u"token endpoint answered HTTP %1"_s.arg(status);
    const QString code = object.value(u"error"_s).toString();
    if (!code.isEmpty())
        text += u" "_s + code;
    const QString description = object.value(u"error_description"_s).toString();
    if (!description.isEmpty())
        text += u": "_s + description.left(300);
    return text;
}

} // namespace

GoogleTokenClient::GoogleTokenClient(UploadSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

void GoogleTokenClient::refresh(const OAuthToken &current)
{
    QNetworkRequest request(m_settings.tokenUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
    request.setTransferTimeout(int(m_settings.tokenRequestTimeout.count()));
    QNetworkReply *reply = m_network.post(
            request, formBody({{u"grant_type"_s, u"refresh_token"_s},
                               {u"refresh_token"_s, current.refreshToken},
                               {u"client_id"_s, m_settings.clientId},
                               {u"client_secret"_s, m_settings.clientSecret}}));
    connect(reply, &QNetworkReply::finished, this, [this, reply, current] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status != 200) {
            emit failed(current.provider, current.channel,
                        failureText(status, reply->errorString(), body));
            return;
        }
        QString error;
        const std::optional<OAuthToken> token =
                parseResponse(current, body, QDateTime::currentDateTimeUtc(), &error);
        if (token)
            emit refreshed(*token);
        else
            emit failed(current.provider, current.channel, error);
    });
}

std::optional<OAuthToken> GoogleTokenClient::parseResponse(const OAuthToken &current,
                                                           const QByteArray &body,
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
    const QString scope = object.value(u"scope"_s).toString();
    if (!scope.isEmpty())
        token.scope = scope;
    const qint64 lifetime = object.value(u"expires_in"_s).toInteger(0);
    token.expiresAt = now.toUTC().addSecs(lifetime > 0 ? lifetime : defaultLifetimeSeconds);
    return token;
}

} // namespace Pitwall
