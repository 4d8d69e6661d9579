#pragma once

#include "vod/googletokenclient.h"
#include "vod/oauthtoken.h"
#include "vod/uploadsettings.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Pitwall {

class Database;
class TokenCipher;

// Keeps the stored YouTube tokens fresh (research §1.8) and hands the uploader a usable one.
//
// Timer: the first pass runs after a random delay of up to interval/2, then every interval
// ±20% (so nodes on one database spread out); each pass renews every youtube row with a refresh
// token that expires within settings.refreshWindow. ensureFresh() is what the uploader calls
// before an upload: it answers with tokenReady() or tokenUnavailable(), renewing the token
// first when it expires within settings.ensureFreshMargin. Refreshed tokens are written back
// through the (encrypting) OAuthTokenStore. One refresh per row runs at a time.
class OAuthRefresher final : public QObject
{
    Q_OBJECT

public:
    // cipher may be null (plaintext tokens); the database and the cipher must outlive this.
    OAuthRefresher(const Database &database, const TokenCipher *cipher, UploadSettings settings,
                   QObject *parent = nullptr);

    void start();
    void stop();
    // One pass now, as the timer runs it.
    void refreshDue();
    // The youtube token for channel: its own row, else the shared one (channel ''). Always
    // answers later, from the event loop, never inside the call. force renews it whatever its
    // expiry says (after YouTube answered 401 to it).
    void ensureFresh(const QString &channel, bool force = false);

signals:
    void tokenReady(const QString &channel, const Pitwall::OAuthToken &token);
    void tokenUnavailable(const QString &channel, const QString &message);
    // After every refresh (timer or ensureFresh), for logs and metrics.
    void tokenRefreshed(const QString &provider, const QString &channel,
                        const QDateTime &expiresAt);
    void refreshFailed(const QString &provider, const QString &channel, const QString &message);

private:
    void scheduleNext(std::chrono::milliseconds base, double spread);
    void startRefresh(const OAuthToken &token);
    void refreshed(const OAuthToken &token);
    void refreshFailedFor(const QString &provider, const QString &channel,
                          const QString &message);
    // Answers from the event loop.
    void answerReady(const QString &channel, const OAuthToken &token);
    void answerUnavailable(const QString &channel, const QString &message);

    const Database &m_database;
    const TokenCipher *m_cipher;
    const UploadSettings m_settings;
    GoogleTokenClient m_client;
    QTimer m_timer;
    QSet<QString> m_inFlight;                // row channels being refreshed
    QHash<QString, QStringList> m_waiters;   // row channel -> ensureFresh() callers' channels
};

} // namespace Pitwall
