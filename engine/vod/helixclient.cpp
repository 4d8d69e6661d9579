#include "vod/helixclient.h"

#include "core/log/logcategories.h"
#include "vod/helixbackoff.h"
#include "vod/helixjson.h"
#include "vod/twitchapptoken.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr int defaultPageSize = 20;
constexpr int maxPageSize = 100;

QString statusLabel(int status)
{
    return status == 0 ? u"error"_s : QString::number(status);
}

} // namespace

struct HelixClient::Call
{
    quint64 id = 0;
    QString endpoint;
    QUrl url;
    const QObject *context = nullptr; // compared only: it may be mid-destruction
    QMetaObject::Connection contextGone;
    BodyCallback done;
    int attempts = 0;
    bool tokenRenewed = false; // a 401 renews the token once per call
    bool waitingForToken = false;
    QString token;
    QPointer<QNetworkReply> reply;
    QTimer wait;
};

HelixClient::HelixClient(HelixSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_token(std::make_unique<TwitchAppToken>(m_settings, m_network))
{
    connect(m_token.get(), &TwitchAppToken::acquired, this, &HelixClient::onTokenAcquired);
    connect(m_token.get(), &TwitchAppToken::failed, this, &HelixClient::onTokenFailed);
    connect(m_token.get(), &TwitchAppToken::requestFinished, this,
            [this](const QString &status) { emit apiCall(u"token"_s, status); });
}

HelixClient::~HelixClient()
{
    abort();
}

void HelixClient::userId(const QString &login, QObject *context, Callback<QString> done)
{
    request(u"users"_s, QUrlQuery{{u"login"_s, login}}, context,
            [login, done = std::move(done)](const QByteArray &body, const QString &error) {
                HelixResult<QString> result{std::nullopt, error};
                if (error.isEmpty())
                    result.value = HelixJson::userId(body, login, &result.error);
                done(result);
            });
}

void HelixClient::videos(const QString &userId, int first, const QString &after,
                         QObject *context, Callback<HelixVideoPage> done)
{
    const int pageSize = first <= 0 ? defaultPageSize : std::min(first, maxPageSize);
    QUrlQuery query{{u"user_id"_s, userId},
                    {u"type"_s, u"archive"_s},
                    {u"first"_s, QString::number(pageSize)}};
    if (!after.isEmpty())
        query.addQueryItem(u"after"_s, after);
    request(u"videos"_s, query, context,
            [done = std::move(done)](const QByteArray &body, const QString &error) {
                HelixResult<HelixVideoPage> result{std::nullopt, error};
                if (error.isEmpty())
                    result.value = HelixJson::videoPage(body, &result.error);
                done(result);
            });
}

void HelixClient::streams(const QString &login, QObject *context,
                          Callback<QList<HelixStream>> done)
{
    request(u"streams"_s, QUrlQuery{{u"user_login"_s, login}}, context,
            [done = std::move(done)](const QByteArray &body, const QString &error) {
                HelixResult<QList<HelixStream>> result{std::nullopt, error};
                if (error.isEmpty())
                    result.value = HelixJson::streams(body, &result.error);
                done(result);
            });
}

void HelixClient::cancel(const QObject *context)
{
    QList<quint64> ids;
    for (const auto &[id, call] : m_calls) {
        if (call->context == context)
            ids.append(id);
    }
    for (const quint64 id : std::as_const(ids))
        drop(id);
}

void HelixClient::abort()
{
    m_token->abort();
    while (!m_calls.empty())
        drop(m_calls.begin()->first);
}

void HelixClient::request(const QString &endpoint, QUrlQuery query, QObject *context,
                          BodyCallback done)
{
    const quint64 id = m_nextId++;
    auto call = std::make_unique<Call>();
    call->id = id;
    call->endpoint = endpoint;
    call->url = m_settings.helixEndpoint(endpoint);
    call->url.setQuery(query);
    call->context = context;
    call->done = std::move(done);
    if (context)
        call->contextGone = connect(context, &QObject::destroyed, this, [this, id] { drop(id); });
    call->wait.setSingleShot(true);
    // Retry-After is a lower bound, which a coarse timer (up to 5 % early) would break.
    call->wait.setTimerType(Qt::PreciseTimer);
    connect(&call->wait, &QTimer::timeout, this, [this, id] { attempt(id); });
    // The first attempt starts from the event loop, so no callback runs within this call.
    call->wait.start(0);
    m_calls.emplace(id, std::move(call));
}

void HelixClient::attempt(quint64 id)
{
    const auto it = m_calls.find(id);
    if (it == m_calls.end())
        return;
    Call &call = *it->second;
    if (!m_settings.hasCredentials()) {
        finish(id, {}, u"twitch client id and secret are not configured"_s);
        return;
    }
    ++call.attempts;
    const QString token = m_token->cached();
    if (token.isEmpty()) {
        call.waitingForToken = true;
        m_token->acquire();
        return;
    }
    send(call, token);
}

void HelixClient::send(Call &call, const QString &token)
{
    call.token = token;
    QNetworkRequest request(call.url);
    request.setRawHeader("Client-Id", m_settings.clientId.toUtf8());
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(int(m_settings.requestTimeout.count()));
    call.reply = m_network.get(request);
    connect(call.reply.data(), &QNetworkReply::finished, this,
            [this, id = call.id] { onReply(id); });
}

void HelixClient::onReply(quint64 id)
{
    const auto it = m_calls.find(id);
    if (it == m_calls.end())
        return;
    Call &call = *it->second;
    QNetworkReply *reply = call.reply.data();
    call.reply.clear();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    emit apiCall(call.endpoint, statusLabel(status));

    const QString what = u"helix "_s + call.url.path();
    const bool lastAttempt = call.attempts >= m_settings.maxAttempts;
    if (status == 200) {
        finish(id, body, {});
    } else if (status == 401 && !call.tokenRenewed) {
        call.tokenRenewed = true;
        m_token->invalidate(call.token);
        // The renewed token gets its try even when the 401 answered the last attempt.
        if (lastAttempt)
            --call.attempts;
        attempt(id);
    } else if (status == 429 && !lastAttempt) {
        const std::chrono::milliseconds delay = HelixBackoff::afterRateLimit(
                reply->rawHeader("Retry-After"), reply->rawHeader("Ratelimit-Reset"),
                QDateTime::currentDateTimeUtc());
        qCInfo(lcVod).noquote() << what << "rate limited, remaining"
                                << reply->rawHeader("Ratelimit-Remaining") << "- next attempt in"
                                << delay.count() << "ms";
        call.wait.start(delay);
    } else if ((status == 0 || status >= 500) && !lastAttempt) {
        qCDebug(lcVod).noquote() << what << "attempt" << call.attempts << "failed:"
                                 << (status == 0 ? reply->errorString() : statusLabel(status));
        call.wait.start(HelixBackoff::afterFailure(call.attempts, m_settings));
    } else if (status == 0) {
        finish(id, {}, what + u" failed: "_s + reply->errorString());
    } else {
        finish(id, {}, HelixJson::failure(what, status, body));
    }
}

void HelixClient::onTokenAcquired(const QString &token)
{
    for (const auto &[id, call] : m_calls) {
        if (std::exchange(call->waitingForToken, false))
            send(*call, token);
    }
}

void HelixClient::onTokenFailed(const QString &error)
{
    QList<quint64> waiting;
    for (const auto &[id, call] : m_calls) {
        if (call->waitingForToken)
            waiting.append(id);
    }
    // A callback may delete this client.
    const QPointer<HelixClient> self(this);
    for (const quint64 id : std::as_const(waiting)) {
        if (!self)
            return;
        finish(id, {}, error);
    }
}

std::unique_ptr<HelixClient::Call> HelixClient::take(quint64 id)
{
    const auto it = m_calls.find(id);
    if (it == m_calls.end())
        return nullptr;
    std::unique_ptr<Call> call = std::move(it->second);
    m_calls.erase(it);
    disconnect(call->contextGone);
    return call;
}

void HelixClient::finish(quint64 id, const QByteArray &body, const QString &error)
{
    if (const std::unique_ptr<Call> call = take(id))
        call->done(body, error);
}

void HelixClient::drop(quint64 id)
{
    const std::unique_ptr<Call> call = take(id);
    if (!call)
        return;
    if (QNetworkReply *reply = call->reply.data()) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace Pitwall
