#pragma once

#include "vod/helixsettings.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;

namespace Pitwall {

// Twitch's app access token (client-credentials grant at <authUrl>/oauth2/token), cached in
// memory. acquire() while a grant is in flight joins it, so concurrent calls cost one POST.
// Asynchronous, on the owner's thread. The secret and every token are registered with the log
// sink, so no log line can show them.
class TwitchAppToken final : public QObject
{
    Q_OBJECT

public:
    TwitchAppToken(const HelixSettings &settings, QNetworkAccessManager &network,
                   QObject *parent = nullptr);
    ~TwitchAppToken() override;
    Q_DISABLE_COPY_MOVE(TwitchAppToken)

    // The cached token while more than the renew margin of its validity is left, else empty.
    QString cached() const;
    // Starts a grant unless one is in flight; acquired() or failed() follows.
    void acquire();
    bool isAcquiring() const { return !m_reply.isNull(); }
    // Forgets token when it is still the cached one (Helix refused it with 401); a token
    // another call already renewed stays.
    void invalidate(const QString &token);
    // Drops the grant in flight; neither acquired() nor failed() follows for it.
    void abort();

    // "***" and the last 4 characters of a token long enough to keep them secret.
    static QString maskedTail(const QString &token);

signals:
    void acquired(const QString &token);
    // error names the status and Twitch's answer; it never contains the secret.
    void failed(const QString &error);
    // Each token POST's outcome for the call counters: the HTTP status, or "error".
    void requestFinished(const QString &status);

private:
    void post();
    void onReply();

    const HelixSettings m_settings;
    QNetworkAccessManager &m_network;
    QString m_token;
    QDeadlineTimer m_expiry;
    QPointer<QNetworkReply> m_reply;
};

} // namespace Pitwall
