#include "vod/twitchapptoken.h"

#include "core/log/logcategories.h"
#include "core/log/logcontext.h"
#include "core/log/logsink.h"
#include "vod/helixjson.h"
#include "vod/tokenrequest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// What the grant is given when Twitch names no lifetime (vod-tender's ComputeExpiry).
constexpr qint64 defaultLifetimeSeconds = 3600;
constexpr qsizetype maskedMinimumLength = 16;

} // namespace

TwitchAppToken::TwitchAppToken(const HelixSettings &settings, QNetworkAccessManager &network,
                               QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_network(network)
{
    LogSink::addSecret(m_settings.clientSecret);
}

TwitchAppToken::~TwitchAppToken()
{
    abort();
}

QString TwitchAppToken::cached() const
{
    if (m_token.isEmpty() || m_expiry.remainingTimeAsDuration() < m_settings.tokenRenewMargin)
        return {};
    return m_token;
}

void TwitchAppToken::acquire()
{
    if (!m_reply)
        post();
}

void TwitchAppToken::invalidate(const QString &token)
{
    if (token == m_token)
        m_token.clear();
}

void TwitchAppToken::abort()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

QString TwitchAppToken::maskedTail(const QString &token)
{
    return token.size() < maskedMinimumLength ? u"***"_s : u"***"_s + token.right(4);
}

void TwitchAppToken::post()
{
    m_reply = TokenRequest::post(m_network, m_settings.tokenEndpoint(),
                                 {{u"client_id"_s, m_settings.clientId},
                                  {u"client_secret"_s, m_settings.clientSecret},
                                  {u"grant_type"_s, u"client_credentials"_s}},
                                 m_settings.requestTimeout);
    connect(m_reply.data(), &QNetworkReply::finished, this, &TwitchAppToken::onReply);
}

void TwitchAppToken::onReply()
{
    QNetworkReply *reply = m_reply.data();
    m_reply.clear();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    emit requestFinished(status == 0 ? u"error"_s : QString::number(status));

    QString error;
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QString token = object.value(u"access_token"_s).toString();
    if (status == 0)
        error = u"twitch app token failed: "_s + reply->errorString();
    else if (status != 200)
        error = HelixJson::failure(u"twitch app token"_s, status, body);
    else if (token.isEmpty())
        error = u"twitch app token failed: the answer has no access_token"_s;
    if (!error.isEmpty()) {
        qCWarning(lcVod).noquote() << error;
        emit failed(error);
        return;
    }

    const qint64 expiresIn = object.value(u"expires_in"_s).toInteger();
    const qint64 lifetime = expiresIn > 0 ? expiresIn : defaultLifetimeSeconds;
    LogSink::addSecret(token);
    m_token = token;
    m_expiry = QDeadlineTimer(std::chrono::seconds(lifetime));
    {
        const LogContext::Fields fields(
                QJsonObject{{u"token"_s, maskedTail(token)}, {u"expires_in_s"_s, lifetime}});
        qCInfo(lcVod, "twitch app token acquired");
    }
    emit acquired(token);
}

} // namespace Pitwall
