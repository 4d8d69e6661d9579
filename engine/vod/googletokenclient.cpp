#include "vod/googletokenclient.h"

#include "vod/tokenrequest.h"

#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace Pitwall {

GoogleTokenClient::GoogleTokenClient(UploadSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

void GoogleTokenClient::refresh(const OAuthToken &current)
{
    QNetworkReply *reply = TokenRequest::post(m_network, m_settings.tokenUrl,
                                              {{u"grant_type"_s, u"refresh_token"_s},
                                               {u"refresh_token"_s, current.refreshToken},
                                               {u"client_id"_s, m_settings.clientId},
                                               {u"client_secret"_s, m_settings.clientSecret}},
                                              m_settings.tokenRequestTimeout);
    connect(reply, &QNetworkReply::finished, this, [this, reply, current] {
        reply->deleteLater();
        QString error;
        const std::optional<OAuthToken> token =
                TokenRequest::read(*reply, current, QDateTime::currentDateTimeUtc(), &error);
        if (token)
            emit refreshed(*token);
        else
            emit failed(current.provider, current.channel, error);
    });
}

} // namespace Pitwall
