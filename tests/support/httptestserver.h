#pragma once

#include "core/http/httpserver.h"
#include "core/http/router.h"

#include <QList>
#include <QString>

#include <memory>

// A real HttpServer on 127.0.0.1 and a free port, with its router, recording what its request
// observer saw.
class HttpTestServer
{
public:
    struct Observed
    {
        Pitwall::HttpRequest request;
        int status = 0;
    };

    explicit HttpTestServer(Pitwall::HttpLimits limits = {}, const QString &adminToken = {});
    HttpTestServer(Pitwall::HttpLimits limits, Pitwall::AdminGuard adminGuard);

    Pitwall::Router &router() { return m_router; }
    Pitwall::HttpServer &server() { return *m_server; }
    bool start();
    quint16 port() const { return m_port; }
    QString url(const QString &path) const;
    const QList<Observed> &observed() const { return *m_observed; }

private:
    Pitwall::Router m_router;
    std::unique_ptr<Pitwall::HttpServer> m_server;
    std::shared_ptr<QList<Observed>> m_observed = std::make_shared<QList<Observed>>();
    quint16 m_port = 0;
};
