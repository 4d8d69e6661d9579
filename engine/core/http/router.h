#pragma once

#include "core/http/adminguard.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"
#include "core/http/httpresponse.h"
#include "core/http/routepattern.h"

#include <QByteArrayList>
#include <QList>
#include <QReadWriteLock>

#include <functional>
#include <memory>
#include <optional>

class QWebSocket;

namespace Pitwall {

struct RouteOptions
{
    bool admin = false; // behind the AdminGuard
};

using Handler = std::function<void(const HttpRequest &, HttpResponder)>;
using SyncHandler = std::function<HttpResponse(const HttpRequest &)>;
// Receives the socket after the handshake; it may move it to another thread.
using WebSocketHandler = std::function<void(std::unique_ptr<QWebSocket>, const HttpRequest &upgrade)>;
// Runs on the upgrade request before the handshake: a response refuses it (e.g. 401).
using UpgradeCheck = std::function<std::optional<HttpResponse>(const HttpRequest &)>;

// Our own route table in front of Qt HttpServer. Patterns: "/api/v1/streams/{stream_id}" (a
// whole segment), "/dashboard/{*rest}" (the rest of the path, last only). Literal segments win
// over parameters, parameters over a catch-all. A path that exists with other methods gets 405
// with Allow; GET routes also answer HEAD (the body is dropped).
//
// Engines register from their own threads while the server may already dispatch: registration
// and matching are thread-safe; dispatch runs on the HTTP thread.
class Router final
{
public:
    struct RouteInfo
    {
        QByteArray method;
        QString pattern;
        bool admin = false;
    };

    struct Match
    {
        enum class Outcome { Found, NotFound, MethodNotAllowed };
        Outcome outcome = Outcome::NotFound;
        Handler handler;
        RouteOptions options;
        QString pattern;
        QHash<QString, QString> params;
        QByteArrayList allowed; // MethodNotAllowed: what the path accepts
    };

    struct WebSocketMatch
    {
        bool found = false;
        WebSocketHandler onConnected;
        UpgradeCheck beforeUpgrade;
        QString pattern;
        QHash<QString, QString> params;
    };

    explicit Router(const QString &adminToken = {});
    explicit Router(AdminGuard adminGuard);
    Q_DISABLE_COPY_MOVE(Router)

    // False (and a warning naming the problem) for a malformed pattern or method, or a route
    // that would be ambiguous with one already registered.
    bool addRoute(const QByteArray &method, const QString &pattern, Handler handler,
                  RouteOptions options = {});
    bool addRoute(const QByteArray &method, const QString &pattern, SyncHandler handler,
                  RouteOptions options = {});
    bool addWebSocketRoute(const QString &pattern, WebSocketHandler onConnected,
                           UpgradeCheck beforeUpgrade = {});

    Match match(const QByteArray &method, QByteArrayView rawPath) const;
    WebSocketMatch matchWebSocket(QByteArrayView rawPath) const;

    // Answers through the matched route, or with the 404/405/401/403 envelope.
    void dispatch(HttpRequest request, HttpResponder responder) const;

    QList<RouteInfo> routes() const;
    QStringList webSocketRoutes() const;
    const AdminGuard &adminGuard() const { return m_adminGuard; }

private:
    struct Route
    {
        QByteArray method;
        RoutePattern pattern;
        Handler handler;
        RouteOptions options;
    };
    struct WebSocketRoute
    {
        RoutePattern pattern;
        WebSocketHandler onConnected;
        UpgradeCheck beforeUpgrade;
    };

    std::optional<RoutePattern> parsePattern(const QString &pattern) const;

    const AdminGuard m_adminGuard;
    mutable QReadWriteLock m_lock;
    QList<Route> m_routes;
    QList<WebSocketRoute> m_webSocketRoutes;
};

} // namespace Pitwall
