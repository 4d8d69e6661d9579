#include "core/http/router.h"

#include "core/log/logcategories.h"

#include <QReadLocker>
#include <QWriteLocker>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

bool isMethodToken(const QByteArray &method)
{
    return !method.isEmpty() && std::all_of(method.begin(), method.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
    });
}

} // namespace

Router::Router(const QString &adminToken)
    : m_adminGuard(adminToken)
{
}

Router::Router(AdminGuard adminGuard)
    : m_adminGuard(std::move(adminGuard))
{
}

std::optional<RoutePattern> Router::parsePattern(const QString &pattern) const
{
    QString error;
    std::optional<RoutePattern> parsed = RoutePattern::parse(pattern, &error);
    if (!parsed)
        qCWarning(lcHttp).noquote() << "route not registered:" << error;
    return parsed;
}

bool Router::addRoute(const QByteArray &method, const QString &pattern, Handler handler,
                      RouteOptions options)
{
    if (!isMethodToken(method) || !handler) {
        qCWarning(lcHttp).noquote() << "route not registered:" << pattern << "needs a method"
                                    << "token and a handler, got" << method;
        return false;
    }
    std::optional<RoutePattern> parsed = parsePattern(pattern);
    if (!parsed)
        return false;
    const QByteArray upper = method.toUpper();
    QWriteLocker lock(&m_lock);
    for (const Route &route : std::as_const(m_routes)) {
        if (route.method == upper && route.pattern.shape() == parsed->shape()) {
            qCWarning(lcHttp).noquote() << "route not registered:" << upper << pattern
                                        << "is ambiguous with" << route.pattern.text();
            return false;
        }
    }
    m_routes.append({upper, std::move(*parsed), std::move(handler), options});
    return true;
}

bool Router::addRoute(const QByteArray &method, const QString &pattern, SyncHandler handler,
                      RouteOptions options)
{
    if (!handler)
        return addRoute(method, pattern, Handler(), options);
    return addRoute(method, pattern,
                    Handler([handler = std::move(handler)](const HttpRequest &request,
                                                           HttpResponder responder) {
                        responder.send(handler(request));
                    }),
                    options);
}

bool Router::addWebSocketRoute(const QString &pattern, WebSocketHandler onConnected,
                               UpgradeCheck beforeUpgrade)
{
    if (!onConnected) {
        qCWarning(lcHttp).noquote() << "WebSocket route not registered:" << pattern
                                    << "needs a handler";
        return false;
    }
    std::optional<RoutePattern> parsed = parsePattern(pattern);
    if (!parsed)
        return false;
    QWriteLocker lock(&m_lock);
    for (const WebSocketRoute &route : std::as_const(m_webSocketRoutes)) {
        if (route.pattern.shape() == parsed->shape()) {
            qCWarning(lcHttp).noquote() << "WebSocket route not registered:" << pattern
                                        << "is ambiguous with" << route.pattern.text();
            return false;
        }
    }
    m_webSocketRoutes.append({std::move(*parsed), std::move(onConnected), std::move(beforeUpgrade)});
    return true;
}

Router::Match Router::match(const QByteArray &method, QByteArrayView rawPath) const
{
    const QStringList segments = RoutePattern::splitPath(rawPath);
    Match result;
    QList<int> bestRank;
    QReadLocker lock(&m_lock);
    for (const Route &route : m_routes) {
        QHash<QString, QString> params;
        if (!route.pattern.match(segments, &params))
            continue;
        if (!result.allowed.contains(route.method))
            result.allowed.append(route.method);
        const bool exact = route.method == method;
        if (!exact && !(method == "HEAD" && route.method == "GET"))
            continue;
        // An explicit HEAD route beats the GET route serving HEAD.
        QList<int> rank = route.pattern.rank(segments.size());
        rank.append(exact ? 1 : 0);
        if (result.outcome == Match::Outcome::Found && rank <= bestRank)
            continue;
        bestRank = rank;
        result.outcome = Match::Outcome::Found;
        result.handler = route.handler;
        result.options = route.options;
        result.pattern = route.pattern.text();
        result.params = std::move(params);
    }
    if (result.outcome == Match::Outcome::Found) {
        result.allowed.clear();
    } else if (!result.allowed.isEmpty()) {
        result.outcome = Match::Outcome::MethodNotAllowed;
        if (result.allowed.contains("GET") && !result.allowed.contains("HEAD"))
            result.allowed.append("HEAD");
        std::sort(result.allowed.begin(), result.allowed.end());
    }
    return result;
}

Router::WebSocketMatch Router::matchWebSocket(QByteArrayView rawPath) const
{
    const QStringList segments = RoutePattern::splitPath(rawPath);
    WebSocketMatch result;
    QList<int> bestRank;
    QReadLocker lock(&m_lock);
    for (const WebSocketRoute &route : m_webSocketRoutes) {
        QHash<QString, QString> params;
        if (!route.pattern.match(segments, &params))
            continue;
        const QList<int> rank = route.pattern.rank(segments.size());
        if (result.found && rank <= bestRank)
            continue;
        bestRank = rank;
        result = {true, route.onConnected, route.beforeUpgrade, route.pattern.text(),
                  std::move(params)};
    }
    return result;
}

void Router::dispatch(HttpRequest request, HttpResponder responder) const
{
    Match found = match(request.method, request.rawPath);
    switch (found.outcome) {
    case Match::Outcome::NotFound:
        if (matchWebSocket(request.rawPath).found) {
            HttpResponse response = HttpResponse::error(
                426, u"%1 is a WebSocket endpoint"_s.arg(request.path));
            response.setHeader("Upgrade", "websocket");
            responder.send(response);
        } else {
            responder.send(HttpResponse::error(404, u"NOT_FOUND"_s,
                                               u"no route for %1"_s.arg(request.path)));
        }
        return;
    case Match::Outcome::MethodNotAllowed: {
        HttpResponse response = HttpResponse::error(
            405, u"METHOD_NOT_ALLOWED"_s,
            u"%1 is not allowed on %2"_s.arg(QString::fromLatin1(request.method), request.path));
        response.setHeader("Allow", found.allowed.join(", "));
        responder.send(response);
        return;
    }
    case Match::Outcome::Found:
        break;
    }
    request.pathParams = std::move(found.params);
    if (found.options.admin) {
        if (std::optional<HttpResponse> refusal = m_adminGuard.check(request)) {
            responder.send(*refusal);
            return;
        }
    }
    found.handler(request, std::move(responder));
}

QList<Router::RouteInfo> Router::routes() const
{
    QReadLocker lock(&m_lock);
    QList<RouteInfo> infos;
    for (const Route &route : m_routes)
        infos.append({route.method, route.pattern.text(), route.options.admin});
    return infos;
}

QStringList Router::webSocketRoutes() const
{
    QReadLocker lock(&m_lock);
    QStringList patterns;
    for (const WebSocketRoute &route : m_webSocketRoutes)
        patterns.append(route.pattern.text());
    return patterns;
}

} // namespace Pitwall
