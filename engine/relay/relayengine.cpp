#include "relay/relayengine.h"

#include "core/db/database.h"
#include "core/http/httpresponder.h"
#include "core/http/router.h"
#include "core/log/logcategories.h"
#include "relay/cursorstore.h"
#include "relay/dashboardroutes.h"
#include "relay/eventbroadcaster.h"
#include "relay/eventstore.h"
#include "relay/forwardersession.h"
#include "relay/metricsrefresher.h"
#include "relay/peernotifier.h"
#include "relay/receiversession.h"
#include "relay/relaycomponent.h"
#include "relay/sessionregistry.h"
#include "relay/storageworkers.h"
#include "relay/storeerrorresponse.h"
#include "relay/streamhub.h"
#include "relay/streamroutes.h"
#include "relay/streamstore.h"
#include "relay/tokenroutes.h"
#include "relay/tokenstore.h"

#include <QJsonObject>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Pitwall {

// Everything the context refers to, declared in dependency order.
struct RelayEngine::Parts
{
    Parts(const Database &database, RelayMetrics &metrics, const RelaySettings &settings,
          QObject *engine)
        : tokens(database)
        , events(database)
        , streams(database)
        , cursors(database)
        , workers(settings.storageThreads, u"relay-db"_s, engine)
        , broadcaster(metrics, engine)
        , peers(database, hub, engine)
        , refresher(events, workers, broadcaster, hub, settings.metricsDebounce, engine)
    {
    }

    TokenStore tokens;
    EventStore events;
    StreamStore streams;
    CursorStore cursors;
    StorageWorkers workers;
    StreamHub hub;
    SessionRegistry registry;
    EventBroadcaster broadcaster;
    PeerNotifier peers;
    MetricsRefresher refresher;
};

RelayEngine::RelayEngine(const Database &database, Router &router, MetricsRegistry &metrics,
                         RelaySettings settings, const QString &dashboardDir)
    : m_metrics(metrics), m_component(std::make_shared<RelayComponent>())
{
    setObjectName(u"relay"_s);
    m_parts = std::make_unique<Parts>(database, m_metrics, settings, this);
    Parts &p = *m_parts;
    m_context.reset(new RelayContext{settings, p.tokens, p.events, p.streams, p.cursors,
                                     p.workers, p.hub, p.registry, p.broadcaster,
                                     p.refresher, p.peers, m_metrics});
    registerRoutes(router, dashboardDir);
    closeSessionsRevokedBy(p.tokens);
    connect(&p.broadcaster, &EventBroadcaster::published, this, &RelayEngine::dashboardEvent);
    m_statusTimer.setParent(this);
    m_statusTimer.setInterval(std::chrono::seconds(1));
    connect(&m_statusTimer, &QTimer::timeout, this, &RelayEngine::updateStatus);
}

RelayEngine::~RelayEngine()
{
    stop();
    qDeleteAll(m_sessions);
}

std::shared_ptr<EngineComponent> RelayEngine::component() const
{
    return m_component;
}

StreamEventSink RelayEngine::eventSink()
{
    return [this](const QJsonObject &event) {
        QMetaObject::invokeMethod(this, [this, event] { m_parts->broadcaster.publish(event); });
    };
}

void RelayEngine::closeSessionsRevokedBy(const TokenStore &store)
{
    connect(&store, &TokenStore::tokenRevoked, this,
            [this](const QString &tokenId) { m_parts->registry.closeToken(tokenId); },
            Qt::QueuedConnection);
}

void RelayEngine::registerRoutes(Router &router, const QString &dashboardDir)
{
    Parts &p = *m_parts;
    router.addWebSocketRoute(u"/ws/v1/forwarders"_s,
                             [this](std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade) {
                                 accept(std::move(socket), upgrade, Endpoint::Forwarder);
                             });
    router.addWebSocketRoute(u"/ws/v1.2/receivers"_s,
                             [this](std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade) {
                                 accept(std::move(socket), upgrade, Endpoint::Receiver);
                             });
    router.addWebSocketRoute(u"/ws/v1/receivers"_s,
                             [this](std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade) {
                                 accept(std::move(socket), upgrade, Endpoint::LegacyReceiver);
                             });
    registerTokenRoutes(router, p.tokens);
    registerStreamRoutes(router, p.streams, p.events, p.cursors, eventSink());
    router.addRoute("POST", u"/api/v1/streams/{stream_id}/reset-epoch"_s,
                    Handler([this](const HttpRequest &request, HttpResponder responder) {
                        auto shared = std::make_shared<HttpResponder>(std::move(responder));
                        QMetaObject::invokeMethod(this, [this, request, shared] {
                            resetEpoch(request.pathParams.value(u"stream_id"_s),
                                       [shared](const HttpResponse &answer) {
                                           shared->send(answer);
                                       });
                        });
                    }),
                    RouteOptions{.admin = true});
    router.addRoute("GET", u"/api/v1/events"_s,
                    Handler([this](const HttpRequest &, HttpResponder responder) {
                        responder.beginStream(200, {{"Content-Type", "text/event-stream"},
                                                    {"Cache-Control", "no-cache"}});
                        auto shared = std::make_shared<HttpResponder>(std::move(responder));
                        QMetaObject::invokeMethod(this, [this, shared] {
                            m_parts->broadcaster.addClient(shared);
                        });
                    }));
    registerDashboardRoutes(router, dashboardDir);
}

void RelayEngine::start()
{
    m_started = true;
    m_parts->peers.start();
    resetOnlineFlags();
    m_statusTimer.start();
}

void RelayEngine::resetOnlineFlags()
{
    // No session survives a restart: whatever the last run left online is offline now. Until
    // that is done (the database may still be starting or migrating) sessions are refused, or
    // the reset could take a newly connected forwarder offline.
    const StreamStore &streams = m_parts->streams;
    m_parts->workers.run<StoreError>(
            0, this,
            [&streams] {
                StoreError error;
                streams.markAllOffline(&error);
                return error;
            },
            [this](StoreError error) {
                if (!m_started)
                    return;
                if (error.kind != StoreError::Kind::None) {
                    if (std::exchange(m_resetFailures, m_resetFailures + 1) == 0)
                        qCWarning(lcRelay).noquote()
                                << "relay waits for the database:" << error.message;
                    QTimer::singleShot(std::chrono::seconds(1), this,
                                       &RelayEngine::resetOnlineFlags);
                    return;
                }
                m_ready = true;
                m_component->setStarted(true);
                qCInfo(lcRelay) << "relay ready: /ws/v1/forwarders, /ws/v1.2/receivers,"
                                << "/ws/v1/receivers";
            });
}

void RelayEngine::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_ready = false;
    m_statusTimer.stop();
    m_component->setStarted(false);
    for (RelaySession *session : QSet<RelaySession *>(m_sessions))
        session->close();
    closeStreams();
    // Sessions' last work (offline flags, cursor writes) is queued: let it reach the database.
    m_parts->workers.stop();
}

void RelayEngine::closeStreams()
{
    m_parts->broadcaster.closeAll();
}

void RelayEngine::reload()
{
    // Nothing to re-read: the relay's settings come from the environment and the command line,
    // which a running process cannot see change.
}

void RelayEngine::accept(std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade,
                         Endpoint endpoint)
{
    // Clients send their hello as soon as the upgrade is answered. Until the session connects
    // to the socket, its frames would reach nobody (its pending reads move along to the relay
    // thread and run before startSession): keep them for the session.
    auto early = std::make_shared<QStringList>();
    const QMetaObject::Connection buffering =
            connect(socket.get(), &QWebSocket::textMessageReceived, socket.get(),
                    [early](const QString &text) { early->append(text); });
    socket->moveToThread(thread());
    QMetaObject::invokeMethod(this, [this, raw = socket.release(),
                                     authorization = upgrade.header("Authorization"), endpoint,
                                     early, buffering] {
        disconnect(buffering);
        startSession(raw, authorization, endpoint, *early);
    });
}

void RelayEngine::startSession(QWebSocket *raw, const QByteArray &authorization,
                               Endpoint endpoint, const QStringList &earlyFrames)
{
    std::unique_ptr<QWebSocket> socket(raw);
    if (!m_started)
        return; // stopping: the socket closes with its destruction
    if (!m_ready) {
        QWebSocket *refused = socket.release();
        connect(refused, &QWebSocket::disconnected, refused, &QObject::deleteLater);
        refused->sendTextMessage(QString::fromUtf8(serialize(ErrorMessage{
                ErrorCode::InternalError, u"relay is starting: database not ready"_s, true})));
        refused->close();
        return;
    }
    RelaySession *session = nullptr;
    switch (endpoint) {
    case Endpoint::Forwarder:
        session = new ForwarderSession(*m_context, std::move(socket), authorization);
        break;
    case Endpoint::Receiver:
    case Endpoint::LegacyReceiver:
        session = new ReceiverSession(*m_context, std::move(socket), authorization,
                                      endpoint == Endpoint::Receiver
                                              ? ReceiverSession::Protocol::V12
                                              : ReceiverSession::Protocol::Legacy);
        break;
    }
    m_sessions.insert(session);
    connect(session, &RelaySession::finished, this,
            [this](RelaySession *finished) { m_sessions.remove(finished); });
    session->start(earlyFrames);
}

void RelayEngine::resetEpoch(const QString &streamId,
                             std::function<void(const HttpResponse &)> done)
{
    const RelayContext &ctx = *m_context;
    struct Lookup
    {
        std::optional<StreamInfo> stream;
        StoreError error;
    };
    ctx.workers.run<Lookup>(
            qHash(streamId), this,
            [&ctx, streamId] {
                Lookup lookup;
                lookup.stream = ctx.streams.get(streamId, &lookup.error);
                return lookup;
            },
            [this, done](Lookup lookup) {
                if (!lookup.stream) {
                    done(storeErrorResponse(lookup.error));
                    return;
                }
                const StreamInfo stream = *lookup.stream;
                if (!m_parts->registry.forwarder(stream.forwarderId)) {
                    done(HttpResponse::error(409, u"forwarder not connected"_s));
                    return;
                }
                using Pending = std::pair<std::optional<qint64>, StoreError>;
                m_context->workers.run<Pending>(
                        qHash(stream.forwarderId), this,
                        [&events = m_context->events, stream] {
                            StoreError error;
                            const auto pending = events.requestEpochReset(stream.streamId, &error);
                            return Pending{pending, error};
                        },
                        [this, done, stream](Pending pending) {
                            if (!pending.first) {
                                done(storeErrorResponse(pending.second));
                                return;
                            }
                            // Persisted: a forwarder that dropped meanwhile gets it on its
                            // next hello.
                            if (ForwarderSession *session =
                                        m_parts->registry.forwarder(stream.forwarderId)) {
                                session->sendEpochReset(stream.readerIp, *pending.first);
                            }
                            qCInfo(lcRelay).noquote() << "epoch reset for stream"
                                                      << stream.streamId << "-> pending epoch"
                                                      << *pending.first;
                            m_parts->broadcaster.publish(
                                    QJsonObject{{u"type"_s, u"stream_updated"_s},
                                                {u"stream_id"_s, stream.streamId},
                                                {u"pending_epoch"_s, *pending.first}});
                            done(HttpResponse(204));
                        });
            });
}

void RelayEngine::updateStatus()
{
    const SessionRegistry &registry = m_parts->registry;
    m_metrics.forwarderSessions.set(registry.forwarderCount());
    m_metrics.receiverSessions.set(registry.receiverCount());
    m_component->setSessions(registry.forwarderCount(), registry.receiverCount(),
                             m_parts->broadcaster.clientCount());
}

} // namespace Pitwall
