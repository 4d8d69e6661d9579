#pragma once

#include "relay/cursorstore.h"
#include "relay/epochinfo.h"
#include "relay/eventstore.h"
#include "relay/streameventsink.h"
#include "relay/streamstore.h"
#include "relay/tokenstore.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

namespace Pitwall {

class Database;

// The relay console's queries and actions, on a worker thread of the console with that thread's
// own database connection, so the GUI thread never waits for the database. It calls the stores
// and the shared functions the REST routes call and answers with signals (queued to the
// panels). Every call runs on the service's thread: RelayConsole::run() queues them there.
class RelayConsoleService final : public QObject
{
    Q_OBJECT

public:
    // `notify` is the relay engine's event sink (RelayEngine::eventSink()): a rename reaches the
    // dashboard's SSE clients and the console's own stream table the way the REST one does.
    RelayConsoleService(const Database &database, StreamEventSink notify,
                        QObject *parent = nullptr);

    // The console's own token store: the relay engine follows its revocations.
    const TokenStore &tokenStore() const { return m_tokens; }

    void loadStreams();
    void loadEpochs(const QString &streamId);
    void rename(const QString &streamId, const QString &alias);
    // What PUT /api/v1/streams/{id}/epochs/{epoch}/name does: empty clears the name.
    void nameEpoch(const QString &streamId, qint64 epoch, const QString &name);
    void loadTokens();
    void createToken(const QString &deviceType, const QString &deviceId);
    void revokeToken(const QString &tokenId);
    void loadCursors();
    void deleteCursors(const QString &receiverId, const QString &streamId);

    // Why a store call failed, for the operator.
    static QString describe(const StoreError &error);
    static QString describe(const TokenError &error);

signals:
    // Each stream as StreamInfo::toJson() with streamMetricsJson() merged in.
    void streamsLoaded(const QList<QJsonObject> &streams);
    void epochsLoaded(const QString &streamId, const QList<Pitwall::EpochInfo> &epochs);
    void renamed(const QString &streamId, const QString &alias);
    void epochNamed(const QString &streamId, qint64 epoch, const QString &name);
    void tokensLoaded(const QList<Pitwall::TokenInfo> &tokens);
    // The only time the raw token exists outside the device: show it once.
    void tokenCreated(const Pitwall::CreatedToken &token);
    void tokenCreateFailed(const QString &message);
    void tokenRevoked(const QString &tokenId);
    void cursorsLoaded(const QList<Pitwall::ReceiverCursor> &cursors);
    void cursorsDeleted(const QString &receiverId, const QString &streamId, int count);
    // A query or action failed; the text says which and why.
    void failed(const QString &message);

private:
    StreamStore m_streams;
    EventStore m_events;
    CursorStore m_cursors;
    TokenStore m_tokens;
    StreamEventSink m_notify;
};

} // namespace Pitwall
