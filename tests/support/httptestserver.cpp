#include "httptestserver.h"

#include <QDebug>

HttpTestServer::HttpTestServer(Pitwall::HttpLimits limits, const QString &adminToken)
    : HttpTestServer(limits, Pitwall::AdminGuard(adminToken))
{
}

HttpTestServer::HttpTestServer(Pitwall::HttpLimits limits, Pitwall::AdminGuard adminGuard)
    : m_router(std::move(adminGuard))
    , m_server(std::make_unique<Pitwall::HttpServer>(m_router, limits))
{
    m_server->setRequestObserver([observed = m_observed](const Pitwall::HttpRequest &request,
                                                         int status, std::chrono::microseconds) {
        observed->append({request, status});
    });
}

bool HttpTestServer::start()
{
    QString error;
    if (!m_server->listen(QHostAddress::LocalHost, 0, &error)) {
        qWarning().noquote() << error;
        return false;
    }
    m_port = m_server->port();
    return m_port != 0;
}

QString HttpTestServer::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}
