#include "vod/oauthrefresher.h"

#include "core/log/logcategories.h"
#include "vod/oauthtokenstore.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// For logs: `youtube token of channel ""`.
QString rowName(const QString &provider, const QString &channel)
{
    return u"%1 token of channel \"%2\""_s.arg(provider, channel);
}

} // namespace

OAuthRefresher::OAuthRefresher(const Database &database, const TokenCipher *cipher,
                               UploadSettings settings, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_cipher(cipher)
    , m_settings(std::move(settings))
    , m_client(m_settings)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        refreshDue();
        scheduleNext(m_settings.refreshInterval, 0.2);
    });
    connect(&m_client, &GoogleTokenClient::refreshed, this, &OAuthRefresher::refreshed);
    connect(&m_client, &GoogleTokenClient::failed, this, &OAuthRefresher::refreshFailedFor);
}

void OAuthRefresher::start()
{
    // The first pass lands anywhere in [0, interval/2].
    scheduleNext(m_settings.refreshInterval / 4, 1.0);
}

void OAuthRefresher::stop()
{
    m_timer.stop();
}

void OAuthRefresher::scheduleNext(std::chrono::milliseconds base, double spread)
{
    const double factor = 1.0 + spread * (2.0 * QRandomGenerator::global()->generateDouble() - 1);
    m_timer.start(std::chrono::milliseconds(qint64(double(base.count()) * factor)));
}

void OAuthRefresher::refreshDue()
{
    const OAuthTokenStore store(m_database, m_cipher);
    StoreError error;
    const QDateTime before =
            QDateTime::currentDateTimeUtc().addMSecs(m_settings.refreshWindow.count());
    const std::optional<QStringList> due =
            store.channelsExpiringBefore(OAuthToken::youtube, before, &error);
    if (!due) {
        qCWarning(lcUpload).noquote() << "token refresh: cannot list tokens:" << error.message;
        return;
    }
    for (const QString &channel : *due) {
        if (m_inFlight.contains(channel))
            continue;
        const std::optional<OAuthToken> token = store.read(OAuthToken::youtube, channel, &error);
        if (token)
            startRefresh(*token);
        else
            emit refreshFailed(OAuthToken::youtube, channel, error.message);
    }
}

void OAuthRefresher::ensureFresh(const QString &channel, bool force)
{
    const OAuthTokenStore store(m_database, m_cipher);
    StoreError error;
    std::optional<OAuthToken> token = store.read(OAuthToken::youtube, channel, &error);
    if (!token && error.kind == StoreError::Kind::NotFound && !channel.isEmpty())
        token = store.read(OAuthToken::youtube, QString(), &error);
    if (!token) {
        answerUnavailable(channel, error.kind == StoreError::Kind::NotFound
                                           ? u"no youtube token stored"_s
                                           : error.message);
        return;
    }
    if (!force
        && !token->expiresWithin(m_settings.ensureFreshMargin, QDateTime::currentDateTimeUtc())) {
        answerReady(channel, *token);
        return;
    }
    if (token->refreshToken.isEmpty()) {
        answerUnavailable(channel, u"the youtube token has expired and there is no refresh "
                                   "token; authorise the upload account again"_s);
        return;
    }
    m_waiters[token->channel].append(channel);
    if (!m_inFlight.contains(token->channel))
        startRefresh(*token);
}

void OAuthRefresher::startRefresh(const OAuthToken &token)
{
    m_inFlight.insert(token.channel);
    m_client.refresh(token);
}

void OAuthRefresher::refreshed(const OAuthToken &token)
{
    m_inFlight.remove(token.channel);
    const QStringList waiters = m_waiters.take(token.channel);
    StoreError error;
    if (!OAuthTokenStore(m_database, m_cipher).write(token, &error)) {
        const QString message = u"the refreshed token could not be stored: "_s + error.message;
        qCWarning(lcUpload).noquote() << rowName(token.provider, token.channel) << message;
        emit refreshFailed(token.provider, token.channel, message);
        // The new access token works even if saving it failed; the stored one still expires
        // soon, so the next pass renews and saves it again.
        for (const QString &channel : waiters)
            answerReady(channel, token);
        return;
    }
    qCInfo(lcUpload).noquote() << rowName(token.provider, token.channel)
                               << "refreshed, valid until" << token.expiresAt.toString(Qt::ISODate);
    emit tokenRefreshed(token.provider, token.channel, token.expiresAt);
    for (const QString &channel : waiters)
        answerReady(channel, token);
}

void OAuthRefresher::refreshFailedFor(const QString &provider, const QString &channel,
                                      const QString &message)
{
    m_inFlight.remove(channel);
    qCWarning(lcUpload).noquote() << rowName(provider, channel) << "refresh failed:" << message;
    emit refreshFailed(provider, channel, message);
    for (const QString &waiter : m_waiters.take(channel))
        answerUnavailable(waiter, u"token refresh failed: "_s + message);
}

void OAuthRefresher::answerReady(const QString &channel, const OAuthToken &token)
{
    QMetaObject::invokeMethod(this, [this, channel, token] { emit tokenReady(channel, token); },
                              Qt::QueuedConnection);
}

void OAuthRefresher::answerUnavailable(const QString &channel, const QString &message)
{
    QMetaObject::invokeMethod(
            this, [this, channel, message] { emit tokenUnavailable(channel, message); },
            Qt::QueuedConnection);
}

} // namespace Pitwall
