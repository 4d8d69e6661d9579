#pragma once

#include "core/http/httpconnection.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>

#include <memory>

namespace Pitwall {

// The listening socket handed to Qt HttpServer's bind(). It puts an HttpConnection guard on
// every accepted socket before Qt HttpServer sees it, which is what lets the guard read each
// byte first.
class ConnectionGuard final : public QTcpServer
{
    Q_OBJECT

public:
    ConnectionGuard(const ConnectionSettings &settings,
                    std::shared_ptr<const ConnectionHooks> hooks, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConnectionGuard)

    // The Qt HttpServer this listener is bound to.
    void setBackend(QObject *backend) { m_backend = backend; }
    // Closes idle connections now and busy ones after their responses.
    void drain();
    bool isIdle() const;

Q_SIGNALS:
    void connectionIdle();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    const ConnectionSettings m_settings;
    const std::shared_ptr<const ConnectionHooks> m_hooks;
    QPointer<QObject> m_backend;
    QList<QPointer<HttpConnection>> m_connections;
};

} // namespace Pitwall
