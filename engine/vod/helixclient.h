#pragma once

#include "vod/helixresult.h"
#include "vod/helixsettings.h"
#include "vod/helixstream.h"
#include "vod/helixvideo.h"

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <map>
#include <memory>

class QNetworkReply;

namespace Pitwall {

class TwitchAppToken;

// The Twitch Helix calls of the VOD queue (research §1.1), asynchronous on the owner's thread:
// nothing here blocks. Every request carries Client-Id and the app token (TwitchAppToken) as
// Authorization: Bearer. One call makes at most settings.maxAttempts attempts: a transport
// error or 5xx waits HelixBackoff::afterFailure, a 429 HelixBackoff::afterRateLimit; a 401
// renews the token once per call and tries again at once (on the last attempt too); any other
// status ends the call with "helix <path> failed: <status> (<body, first 4 KiB>)".
//
// Each call has a context: when it is destroyed, or cancel(context) runs, the call is dropped
// (its request aborted, its wait stopped) and its callback never runs. Callbacks run on the
// owner's thread, never from within the call that started them; they may start new calls.
class HelixClient final : public QObject
{
    Q_OBJECT

public:
    template <typename T>
    using Callback = std::function<void(const HelixResult<T> &)>;

    explicit HelixClient(HelixSettings settings, QObject *parent = nullptr);
    // Drops every call, like abort().
    ~HelixClient() override;
    Q_DISABLE_COPY_MOVE(HelixClient)

    const HelixSettings &settings() const { return m_settings; }

    // GET /helix/users?login=: the user id.
    void userId(const QString &login, QObject *context, Callback<QString> done);
    // GET /helix/videos?user_id=&type=archive&first=[&after=]: first is 1..100 (20 when not
    // positive); an empty after asks for the newest page.
    void videos(const QString &userId, int first, const QString &after, QObject *context,
                Callback<HelixVideoPage> done);
    // GET /helix/streams?user_login=: the live broadcast, an empty list while offline.
    void streams(const QString &login, QObject *context, Callback<QList<HelixStream>> done);

    // Drops the calls of one context.
    void cancel(const QObject *context);
    // Drops every call and the token grant in flight (the engine is stopping).
    void abort();
    // Calls started and not yet finished or dropped.
    int pendingCalls() const { return int(m_calls.size()); }

signals:
    // One per HTTP exchange, token POSTs included, for helix_api_calls_total:
    // endpoint "users", "videos", "streams" or "token"; status the HTTP code or "error".
    void apiCall(const QString &endpoint, const QString &status);

private:
    struct Call;
    using BodyCallback = std::function<void(const QByteArray &body, const QString &error)>;

    void request(const QString &endpoint, QUrlQuery query, QObject *context, BodyCallback done);
    void attempt(quint64 id);
    void send(Call &call, const QString &token);
    void onReply(quint64 id);
    void onTokenAcquired(const QString &token);
    void onTokenFailed(const QString &error);
    // Removes the call from the table (nullptr when it is gone already).
    std::unique_ptr<Call> take(quint64 id);
    // Removes the call, then runs its callback.
    void finish(quint64 id, const QByteArray &body, const QString &error);
    void drop(quint64 id);

    const HelixSettings m_settings;
    QNetworkAccessManager m_network;
    const std::unique_ptr<TwitchAppToken> m_token; // after m_network: it posts through it
    std::map<quint64, std::unique_ptr<Call>> m_calls;
    quint64 m_nextId = 1;
};

} // namespace Pitwall
