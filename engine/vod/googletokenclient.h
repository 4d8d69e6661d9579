#pragma once

#include "vod/oauthtoken.h"
#include "vod/uploadsettings.h"

#include <QNetworkAccessManager>
#include <QObject>

namespace Pitwall {

// The refresh_token grant against Google's token endpoint (GOOGLE_TOKEN_URL), with the OAuth
// client's id and secret in the form body. Asynchronous, on the caller's thread; several
// refreshes (of different rows) may run at once.
class GoogleTokenClient final : public QObject
{
    Q_OBJECT

public:
    explicit GoogleTokenClient(UploadSettings settings, QObject *parent = nullptr);

    // Renews current's access token; refreshed() or failed() follows for its provider/channel.
    void refresh(const OAuthToken &current);

signals:
    void refreshed(const Pitwall::OAuthToken &token);
    // message names the HTTP status and Google's error code; it never contains a secret.
    void failed(const QString &provider, const QString &channel, const QString &message);

private:
    const UploadSettings m_settings;
    QNetworkAccessManager m_network;
};

} // namespace Pitwall
