#pragma once

#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/router.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <memory>

class QTcpSocket;

namespace Pitwall {

class ConnectionGuard;
class HttpBackend;

struct HttpLimits
{
    qint64 maxBodyBytes = 16 * 1024 * 1024;
    int maxHeaderBytes = 64 * 1024;
    std::chrono::milliseconds requestTimeout{30000};    // first byte to last byte of a request
    std::chrono::milliseconds keepAliveTimeout{60000};  // idle connection between requests
};

// The one HTTP server: REST routes and WebSocket endpoints of the router, on one address.
// Lives on one thread (the "HTTP thread"); create it anywhere, move it there, and call listen()
// on that thread: Qt HttpServer's WebSocket server does not follow moveToThread(), so it is
// created by listen(). Handlers run on that thread.
//
// Every response carries X-Correlation-ID (the request's when sane, else a new UUID), dispatch
// runs inside a LogContext::Scope of it, and each finished request is logged once to lcHttp.
class HttpServer final : public QObject
{
    Q_OBJECT

public:
    using RequestObserver =
        std::function<void(const HttpRequest &, int status, std::chrono::microseconds elapsed)>;

    explicit HttpServer(Router &router, HttpLimits limits = {}, QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    // False with `error` naming address, port and reason ("address in use") when it cannot.
    bool listen(const QHostAddress &address, quint16 port, QString *error = nullptr);
    bool isListening() const;
    // The port actually bound (useful after listen(..., 0)); 0 when not listening.
    quint16 port() const;
    // Stops accepting, closes idle connections and each busy one after its response finishes.
    void close();
    // Runs this thread's event loop until no response is in flight or `timeout` passed; true
    // when idle. For shutdown, after close().
    bool waitForIdle(std::chrono::milliseconds timeout);

    // Called for each finished request (on the HTTP thread), e.g. to feed metrics.
    void setRequestObserver(RequestObserver observer);
    const HttpLimits &limits() const { return m_limits; }

private:
    struct PendingUpgrade
    {
        HttpRequest request;
        WebSocketHandler onConnected;
        QElapsedTimer elapsed;
        QPointer<QTcpSocket> socket; // gone: the handshake failed and the entry is stale
    };

    void createBackend();
    void dispatch(const HttpRequest &request, HttpResponder responder);
    std::optional<HttpResponse> prepareUpgrade(QTcpSocket *socket, HttpRequest &request);
    void acceptWebSockets();
    void requestFinished(const HttpRequest &request, int status,
                         std::chrono::microseconds elapsed) const;

    Router &m_router;
    const HttpLimits m_limits;
    RequestObserver m_observer;
    HttpBackend *m_backend = nullptr;
    ConnectionGuard *m_listener = nullptr;
    QHash<QString, PendingUpgrade> m_pendingUpgrades; // by peer "address|port"
};

} // namespace Pitwall
