#pragma once

#include "core/http/exchange.h"
#include "core/http/requestframer.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>
#include <memory>

class QTcpSocket;

namespace Pitwall {

struct ConnectionSettings
{
    RequestFramer::Limits limits;
    std::chrono::milliseconds requestTimeout{30000};
    std::chrono::milliseconds keepAliveTimeout{60000};
};

// What a connection needs from its server.
struct ConnectionHooks
{
    QObject *context = nullptr;  // the server: responder calls from other threads queue here
    // A WebSocket upgrade request was received: nullopt lets Qt complete the handshake, a
    // response refuses it with that HTTP status.
    std::function<std::optional<HttpResponse>(QTcpSocket *, HttpRequest &)> upgrade;
    Exchange::FinishedHook finished;
};

// The guard of one accepted socket. Its readyRead slot is connected before Qt HttpServer's, so it
// sees every byte first (peeking, not reading) and can answer itself: limits (413, 431), the
// request timeout (408), malformed framing (400) and refused WebSocket upgrades. It then
// disconnects Qt from the socket and closes it after the answer. It also keeps the response
// queue that puts pipelined responses in request order, and closes idle keep-alive connections.
class HttpConnection final : public QObject
{
    Q_OBJECT

public:
    HttpConnection(QTcpSocket *socket, const ConnectionSettings &settings,
                   std::shared_ptr<const ConnectionHooks> hooks);
    Q_DISABLE_COPY_MOVE(HttpConnection)

    static HttpConnection *of(QTcpSocket *socket);

    // To call right after Qt HttpServer connected its readyRead slot to the socket.
    void backendAttached(QObject *backend);
    // Qt HttpServer 6.4 passes an upgrade request to handleRequest() and completes the WebSocket
    // handshake when that returns true: true when the next request is one this guard approved.
    bool nextIsApprovedUpgrade() const;
    // The approved upgrade left for Qt's WebSocket server: the guard is done with this socket.
    void handOver();
    // Qt HttpServer dispatches the next request of this connection: its exchange, queued for
    // the response. Null when there is no request to match (the connection is then closed).
    std::shared_ptr<Exchange> openExchange(const QByteArray &body);

    // Server shutdown: close now if idle, else after the responses in flight.
    void drain();
    // No request waiting for or receiving its response.
    bool isIdle() const;
    bool isDraining() const { return m_draining; }

    // For Exchange.
    void deliver(Exchange *exchange, const QByteArray &bytes);
    void exchangeDone();

Q_SIGNALS:
    void becameIdle();

private:
    void onReadyRead();
    void onDisconnected();
    void handle(const RequestFramer::Event &event);
    void handleUpgrade(const RequestHead &head);
    void refuse(HttpRequest request, const HttpResponse &response);
    void sendRefusal();
    HttpRequest makeRequest(const RequestHead &head) const;
    std::shared_ptr<Exchange> enqueue(HttpRequest request, ResponseFraming framing);
    bool isBusy() const;
    void detachBackend();
    void closeSocket();
    void checkIdle();

    QTcpSocket *const m_socket;
    const ConnectionSettings m_settings;
    const std::shared_ptr<const ConnectionHooks> m_hooks;
    RequestFramer m_framer;
    QPointer<QObject> m_backend;
    QTimer m_requestTimer;
    QTimer m_idleTimer;
    std::deque<RequestHead> m_heads;                    // framed, not yet dispatched by Qt
    std::optional<std::pair<HttpRequest, HttpResponse>> m_refusal; // waits for m_heads
    std::deque<std::shared_ptr<Exchange>> m_exchanges;  // in request order
    qsizetype m_scannedUnread = 0;  // bytes already fed to the framer that Qt has not read yet
    bool m_upgraded = false;
    bool m_draining = false;
    bool m_closing = false;
};

} // namespace Pitwall
