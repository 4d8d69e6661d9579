#include "core/http/httpserver.h"

#include "core/http/connectionguard.h"
#include "core/http/httpbackend.h"
#include "core/log/logcategories.h"
#include "core/log/logcontext.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QString endpoint(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]"_s.arg(address.toString())
        : address.toString();
    return u"%1:%2"_s.arg(host).arg(port);
}

QString listenFailure(const QTcpServer &server)
{
    switch (server.serverError()) {
    case QAbstractSocket::AddressInUseError: return u"address in use"_s;
    case QAbstractSocket::SocketAccessError: return u"permission denied"_s;
    case QAbstractSocket::SocketAddressNotAvailableError: return u"address not available"_s;
    default: return server.errorString();
    }
}

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

} // namespace

HttpServer::HttpServer(Router &router, HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_router(router)
    , m_limits(limits)
{
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = u"cannot listen on %1: %2"_s.arg(endpoint(address, port), reason);
        return false;
    };
    if (QThread::currentThread() != thread())
        return fail(u"listen() must run on the thread the server lives in"_s);
    if (isListening())
        return fail(u"already listening on port %1"_s.arg(this->port()));
    if (!m_backend)
        createBackend();
    if (!m_listener->listen(address, port))
        return fail(listenFailure(*m_listener));
    m_backend->bind(m_listener);
    return true;
}

void HttpServer::createBackend()
{
    m_backend = new HttpBackend(
        [this](const HttpRequest &request, HttpResponder responder) {
            dispatch(request, std::move(responder));
        },
        this);
    connect(m_backend, &HttpBackend::newWebSocketConnection, this, &HttpServer::acceptWebSockets);

    auto hooks = std::make_shared<ConnectionHooks>();
    hooks->context = this;
    // Connections are descendants of this server and die with it.
    hooks->upgrade = [this](QTcpSocket *socket, HttpRequest &request) {
        return prepareUpgrade(socket, request);
    };
    // Exchanges may outlive it, held by a responder somewhere.
    const QPointer<HttpServer> self(this);
    hooks->finished = [self](const HttpRequest &request, int status,
                             std::chrono::microseconds elapsed) {
        if (self)
            self->requestFinished(request, status, elapsed);
    };
    ConnectionSettings settings;
    settings.limits = {m_limits.maxHeaderBytes, m_limits.maxBodyBytes};
    settings.requestTimeout = m_limits.requestTimeout;
    settings.keepAliveTimeout = m_limits.keepAliveTimeout;
    m_listener = new ConnectionGuard(settings, std::move(hooks), this);
    m_listener->setBackend(m_backend);
}

bool HttpServer::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 HttpServer::port() const
{
    return isListening() ? m_listener->serverPort() : 0;
}

void HttpServer::close()
{
    if (!m_listener)
        return;
    m_listener->close();
    m_listener->drain();
}

bool HttpServer::waitForIdle(std::chrono::milliseconds timeout)
{
    if (!m_listener || m_listener->isIdle())
        return true;
    QEventLoop loop;
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    connect(m_listener, &ConnectionGuard::connectionIdle, &loop, [this, &loop] {
        if (m_listener->isIdle())
            loop.quit();
    });
    loop.exec();
    return m_listener->isIdle();
}

void HttpServer::setRequestObserver(RequestObserver observer)
{
    m_observer = std::move(observer);
}

void HttpServer::dispatch(const HttpRequest &request, HttpResponder responder)
{
    LogContext::Scope scope(request.correlationId);
    m_router.dispatch(request, std::move(responder));
}

std::optional<HttpResponse> HttpServer::prepareUpgrade(QTcpSocket *socket, HttpRequest &request)
{
    LogContext::Scope scope(request.correlationId);
    Router::WebSocketMatch match = m_router.matchWebSocket(request.rawPath);
    if (!match.found) {
        return HttpResponse::error(404, u"NOT_FOUND"_s,
                                   u"no WebSocket endpoint at %1"_s.arg(request.path));
    }
    request.pathParams = std::move(match.params);
    if (match.beforeUpgrade) {
        if (std::optional<HttpResponse> refusal = match.beforeUpgrade(request))
            return refusal;
    }
    // A handshake that Qt's WebSocket server rejects never reaches acceptWebSockets().
    m_pendingUpgrades.removeIf([](const auto &entry) { return entry.value().socket.isNull(); });
    PendingUpgrade pending{request, std::move(match.onConnected), {}, socket};
    pending.elapsed.start();
    m_pendingUpgrades.insert(peerKey(socket->peerAddress(), socket->peerPort()), std::move(pending));
    return std::nullopt;
}

void HttpServer::acceptWebSockets()
{
    while (m_backend->hasPendingWebSocketConnections()) {
        QWebSocket *socket = m_backend->nextPendingWebSocketConnection().release();
        socket->setParent(this); // until handed over
        PendingUpgrade pending =
            m_pendingUpgrades.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (!pending.onConnected) {
            qCWarning(lcHttp) << "WebSocket from" << socket->peerAddress().toString()
                              << "arrived without a checked upgrade request; closing it";
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated);
            socket->deleteLater();
            continue;
        }
        // Qt 6.4 leaves the TCP socket a child of the listener: it would neither follow the
        // WebSocket to another thread nor survive the listener.
        if (pending.socket)
            pending.socket->setParent(socket);
        // Queued: Qt is still inside the socket's signal handling here, and a handler that moves
        // the socket to another thread must not pull it away from under Qt.
        QMetaObject::invokeMethod(this, [this, socket, pending = std::move(pending)] {
            socket->setParent(nullptr);
            LogContext::Scope scope(pending.request.correlationId);
            requestFinished(pending.request, 101,
                            std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::nanoseconds(pending.elapsed.nsecsElapsed())));
            pending.onConnected(std::unique_ptr<QWebSocket>(socket), pending.request);
        }, Qt::QueuedConnection);
    }
}

void HttpServer::requestFinished(const HttpRequest &request, int status,
                                 std::chrono::microseconds elapsed) const
{
    const double milliseconds = double(elapsed.count()) / 1000.0;
    const QJsonObject fields{{u"method"_s, QString::fromLatin1(request.method)},
                             {u"path"_s, request.path},
                             {u"status"_s, status},
                             {u"duration_ms"_s, milliseconds}};
    LogContext::Scope scope(request.correlationId, fields);
    qCInfo(lcHttp).noquote() << request.method << request.path << status
                             << QString::number(milliseconds, 'f', 1) + u" ms"_s;
    if (m_observer)
        m_observer(request, status, elapsed);
}

} // namespace Pitwall
