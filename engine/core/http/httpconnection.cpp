#include "core/http/httpconnection.h"

#include "core/log/logcategories.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace Pitwall {

HttpConnection::HttpConnection(QTcpSocket *socket, const ConnectionSettings &settings,
                               std::shared_ptr<const ConnectionHooks> hooks)
    : QObject(socket)
    , m_socket(socket)
    , m_settings(settings)
    , m_hooks(std::move(hooks))
    , m_framer(settings.limits)
{
    m_requestTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_requestTimer, &QTimer::timeout, this, [this] {
        refuse(makeRequest(m_framer.currentHead()),
               HttpResponse::error(408, u"request not received within %1 ms"_s
                                            .arg(m_settings.requestTimeout.count())));
    });
    connect(&m_idleTimer, &QTimer::timeout, this, &HttpConnection::closeSocket);
    // Connected before Qt HttpServer's slot (see ConnectionGuard), so this one runs first.
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    checkIdle();
}

HttpConnection *HttpConnection::of(QTcpSocket *socket)
{
    return socket->findChild<HttpConnection *>(QString(), Qt::FindDirectChildrenOnly);
}

void HttpConnection::backendAttached(QObject *backend)
{
    m_backend = backend;
    // Runs after Qt HttpServer read what it wanted: whatever is left was already framed. Qt
    // re-emits readyRead for a pipelined leftover, and this is how onReadyRead knows.
    connect(m_socket, &QTcpSocket::readyRead, this,
            [this] { m_scannedUnread = m_socket->bytesAvailable(); });
}

void HttpConnection::onReadyRead()
{
    if (m_upgraded)
        return;
    if (!m_backend) {
        // Answered by the guard and closing: what the client still sends is dropped unread.
        m_socket->readAll();
        return;
    }
    if (m_refusal)
        return; // Qt still dispatches what was framed before it; nothing after it is framed
    const QByteArray unread = m_socket->peek(m_socket->bytesAvailable());
    const QByteArrayView fresh =
        QByteArrayView(unread).sliced(qMin<qsizetype>(m_scannedUnread, unread.size()));
    m_scannedUnread = unread.size();
    for (const RequestFramer::Event &event : m_framer.feed(fresh)) {
        handle(event);
        if (!m_backend || m_upgraded || m_refusal)
            break;
    }
}

void HttpConnection::handle(const RequestFramer::Event &event)
{
    using Kind = RequestFramer::Event::Kind;
    switch (event.kind) {
    case Kind::Started:
        m_idleTimer.stop();
        if (m_settings.requestTimeout.count() > 0)
            m_requestTimer.start(m_settings.requestTimeout);
        break;
    case Kind::HeadersComplete:
        // Qt HttpServer 6.4 never sends the interim response, so clients such as curl would wait
        // a second before sending the body. Only when no earlier response is still due.
        if (event.head.expectsContinue && !isBusy())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        break;
    case Kind::Complete:
        m_requestTimer.stop();
        if (event.head.webSocketUpgrade)
            handleUpgrade(event.head);
        else
            m_heads.push_back(event.head);
        break;
    case Kind::Failed:
        refuse(makeRequest(event.head), HttpResponse::error(event.status, event.message));
        break;
    }
}

void HttpConnection::handleUpgrade(const RequestHead &head)
{
    HttpRequest request = makeRequest(head);
    if (std::optional<HttpResponse> refusal = m_hooks->upgrade(m_socket, request)) {
        refuse(std::move(request), *refusal);
        return;
    }
    // Qt HttpServer reaches this request after any framed before it; see nextIsApprovedUpgrade().
    // What follows it on the socket is WebSocket traffic, not for this guard.
    m_upgraded = true;
    m_requestTimer.stop();
    m_idleTimer.stop();
    m_heads.push_back(head);
}

bool HttpConnection::nextIsApprovedUpgrade() const
{
    return m_upgraded && m_heads.size() == 1 && m_heads.front().webSocketUpgrade;
}

void HttpConnection::handOver()
{
    m_heads.clear();
    disconnect(m_socket, nullptr, this, nullptr);
    deleteLater();
}

void HttpConnection::refuse(HttpRequest request, const HttpResponse &response)
{
    m_requestTimer.stop();
    m_idleTimer.stop();
    m_refusal.emplace(std::move(request), response);
    // Requests framed before the refused one (pipelined in the same read) still go to Qt, which
    // takes one per readyRead; the refusal follows the last of them (see openExchange).
    if (m_heads.empty())
        sendRefusal();
}

void HttpConnection::sendRefusal()
{
    detachBackend();
    auto [request, response] = *std::exchange(m_refusal, std::nullopt);
    ResponseFraming framing;
    framing.headOnly = request.method == "HEAD";
    framing.keepAlive = false;
    const std::shared_ptr<Exchange> exchange = enqueue(std::move(request), framing);
    exchange->respond(response);
}

HttpRequest HttpConnection::makeRequest(const RequestHead &head) const
{
    HttpRequest request;
    request.method = head.method.toUpper();
    request.setTarget(head.target);
    request.headers = head.headers;
    request.peerAddress = m_socket->peerAddress();
    request.correlationId = CorrelationId::forHeaders(head.headers);
    return request;
}

std::shared_ptr<Exchange> HttpConnection::openExchange(const QByteArray &body)
{
    if (m_heads.empty()) {
        qCWarning(lcHttp) << "Qt HttpServer dispatched a request the connection guard did not "
                             "frame; closing the connection";
        closeSocket();
        return nullptr;
    }
    const RequestHead head = std::move(m_heads.front());
    m_heads.pop_front();
    HttpRequest request = makeRequest(head);
    request.body = body;
    ResponseFraming framing;
    framing.headOnly = request.method == "HEAD";
    framing.http10 = head.minorVersion == 0;
    framing.keepAlive = head.keepAlive && !m_draining;
    std::shared_ptr<Exchange> exchange = enqueue(std::move(request), framing);
    if (m_refusal && m_heads.empty())
        sendRefusal();
    return exchange;
}

std::shared_ptr<Exchange> HttpConnection::enqueue(HttpRequest request, ResponseFraming framing)
{
    auto exchange = std::make_shared<Exchange>(this, std::move(request), framing,
                                               m_hooks->context, m_hooks->finished);
    m_exchanges.push_back(exchange);
    return exchange;
}

void HttpConnection::deliver(Exchange *exchange, const QByteArray &bytes)
{
    if (m_exchanges.empty() || m_exchanges.front().get() != exchange)
        exchange->appendBacklog(bytes);
    else if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
}

void HttpConnection::exchangeDone()
{
    while (!m_exchanges.empty() && m_exchanges.front()->isDone()) {
        const std::shared_ptr<Exchange> finished = std::move(m_exchanges.front());
        m_exchanges.pop_front();
        if (finished->closesConnection()) {
            closeSocket();
            return;
        }
        if (!m_exchanges.empty() && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->write(m_exchanges.front()->takeBacklog());
    }
    checkIdle();
}

void HttpConnection::drain()
{
    m_draining = true;
    checkIdle();
}

bool HttpConnection::isBusy() const
{
    return !m_heads.empty() || !m_exchanges.empty();
}

bool HttpConnection::isIdle() const
{
    return m_socket->state() == QAbstractSocket::UnconnectedState || (!m_closing && !isBusy());
}

void HttpConnection::checkIdle()
{
    if (m_closing || m_upgraded || isBusy())
        return;
    if (m_draining) {
        closeSocket();
        return;
    }
    if (m_framer.isIdle() && m_settings.keepAliveTimeout.count() > 0)
        m_idleTimer.start(m_settings.keepAliveTimeout);
    Q_EMIT becameIdle();
}

void HttpConnection::detachBackend()
{
    if (m_backend)
        disconnect(m_socket, &QTcpSocket::readyRead, m_backend, nullptr);
    m_backend = nullptr;
}

void HttpConnection::closeSocket()
{
    if (m_closing)
        return;
    m_closing = true;
    detachBackend();
    m_requestTimer.stop();
    m_idleTimer.stop();
    m_socket->disconnectFromHost();
}

void HttpConnection::onDisconnected()
{
    m_requestTimer.stop();
    m_idleTimer.stop();
    m_heads.clear();
    m_refusal.reset();
    for (const std::shared_ptr<Exchange> &exchange : std::exchange(m_exchanges, {}))
        exchange->connectionLost();
    Q_EMIT becameIdle();
}

} // namespace Pitwall
