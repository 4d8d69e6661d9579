#include "core/http/connectionguard.h"

#include "core/log/logcategories.h"

#include <QTcpSocket>

#include <unistd.h>

namespace Pitwall {

ConnectionGuard::ConnectionGuard(const ConnectionSettings &settings,
                                 std::shared_ptr<const ConnectionHooks> hooks, QObject *parent)
    : QTcpServer(parent)
    , m_settings(settings)
    , m_hooks(std::move(hooks))
{
}

void ConnectionGuard::drain()
{
    for (const QPointer<HttpConnection> &connection : std::as_const(m_connections)) {
        if (connection)
            connection->drain();
    }
}

bool ConnectionGuard::isIdle() const
{
    return std::all_of(m_connections.cbegin(), m_connections.cend(),
                       [](const QPointer<HttpConnection> &connection) {
                           return !connection || connection->isIdle();
                       });
}

void ConnectionGuard::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot adopt an accepted connection:" << socket->errorString();
        delete socket;
        ::close(int(descriptor));
        return;
    }
    auto *connection = new HttpConnection(socket, m_settings, m_hooks);
    connect(connection, &HttpConnection::becameIdle, this, &ConnectionGuard::connectionIdle);
    m_connections.removeIf([](const QPointer<HttpConnection> &known) { return known.isNull(); });
    m_connections.append(connection);
    // Qt HttpServer takes the socket and connects its own readyRead slot inside this call.
    addPendingConnection(socket);
    connection->backendAttached(m_backend);
}

} // namespace Pitwall
