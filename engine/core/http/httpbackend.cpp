#include "core/http/httpbackend.h"

#include "core/http/httpconnection.h"

#include <QTcpSocket>
#include <QtHttpServer/QHttpServerRequest>

namespace Pitwall {

HttpBackend::HttpBackend(Dispatch dispatch, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_dispatch(std::move(dispatch))
{
}

bool HttpBackend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Qt 6.4 keeps the socket open after this returns, so the exchange can be answered later; its
    // own QHttpServerResponder is not used because it cannot keep pipelined responses in order.
    HttpConnection *connection = HttpConnection::of(socket);
    if (connection && connection->nextIsApprovedUpgrade()) {
        connection->handOver();
        return true; // Qt continues with the handshake, then newWebSocketConnection()
    }
    std::shared_ptr<Exchange> exchange = connection ? connection->openExchange(request.body())
                                                    : nullptr;
    if (!exchange)
        return false;
    const HttpRequest &dispatched = exchange->request();
    HttpResponder responder(std::move(exchange)); // keeps the exchange, and so `dispatched`, alive
    m_dispatch(dispatched, std::move(responder));
    return true;
}

void HttpBackend::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    // Only reached when a socket has no guard or no framed request: nothing safe to answer.
    socket->disconnectFromHost();
}

} // namespace Pitwall
