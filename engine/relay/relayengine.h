#pragma once

#include "core/engine.h"
#include "relay/relaycontext.h"
#include "relay/relaymetrics.h"
#include "relay/relaysettings.h"
#include "relay/streameventsink.h"

#include <QSet>
#include <QTimer>

#include <memory>

class QWebSocket;

namespace Pitwall {

class Database;
class HttpResponse;
class MetricsRegistry;
class RelayComponent;
class RelaySession;
class Router;
class TokenStore;
struct HttpRequest;

// The relay server (research §1-4) on its own thread: the WebSocket endpoints of forwarders
// and receivers, live fan-out, the REST API, the dashboard and its SSE stream. Sessions, hub
// and broadcaster live on the relay thread; database work runs on StorageWorkers.
class RelayEngine final : public Engine
{
    Q_OBJECT

public:
    RelayEngine(const Database &database, Router &router, MetricsRegistry &metrics,
                RelaySettings settings, const QString &dashboardDir);
    ~RelayEngine() override;

    std::shared_ptr<EngineComponent> component() const override;

    // What the REST routes report changes through (a rename): publishes on the relay thread.
    // Any thread, while the engine lives.
    StreamEventSink eventSink();
    // Sessions authenticated with a token `store` revokes end, as with the engine's own store
    // (the desktop console provisions through a TokenStore of its own). Any thread.
    void closeSessionsRevokedBy(const TokenStore &store);
    // Relay thread: POST /api/v1/streams/{id}/reset-epoch. Needs the stream's live forwarder
    // session (409 otherwise); `done` gets the answer on the relay thread (204 when sent).
    void resetEpoch(const QString &streamId, std::function<void(const HttpResponse &)> done);

signals:
    // Every event the dashboard's SSE stream carries (stream_created, stream_updated,
    // metrics_updated), emitted on the relay thread: receivers elsewhere get it queued.
    void dashboardEvent(const QJsonObject &event);

public slots:
    void start() override;
    void stop() override;
    void closeStreams() override;
    void reload() override;

private:
    enum class Endpoint { Forwarder, Receiver, LegacyReceiver };

    void registerRoutes(Router &router, const QString &dashboardDir);
    // HTTP thread: hands the socket to the relay thread.
    void accept(std::unique_ptr<QWebSocket> socket, const HttpRequest &upgrade,
                Endpoint endpoint);
    void startSession(QWebSocket *socket, const QByteArray &authorization, Endpoint endpoint,
                      const QStringList &earlyFrames);
    void resetOnlineFlags();
    void updateStatus();

    struct Parts;
    std::unique_ptr<Parts> m_parts;
    RelayMetrics m_metrics;
    std::shared_ptr<RelayComponent> m_component;
    std::unique_ptr<RelayContext> m_context;
    QSet<RelaySession *> m_sessions;
    QTimer m_statusTimer;
    bool m_started = false;
    bool m_ready = false; // streams reset offline: sessions may start
    int m_resetFailures = 0;
};

} // namespace Pitwall
