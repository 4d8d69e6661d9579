#include "core/coreroutes.h"

#include "core/enginehost.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "core/http/router.h"
#include "core/log/logring.h"
#include "core/metrics/metricsregistry.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

HttpResponse readiness(const EngineHost &host)
{
    QJsonObject checks;
    QJsonObject failure;
    for (const auto &component : host.components()) {
        const EngineComponent::Readiness state = component->readiness();
        QJsonObject check{{u"ready"_s, state.ready}};
        if (!state.ready) {
            check.insert(u"reason"_s, state.reason);
            if (failure.isEmpty())
                failure = {{u"failed_check"_s, component->name()}, {u"error"_s, state.reason}};
        }
        checks.insert(component->name(), check);
    }
    if (failure.isEmpty())
        return HttpResponse::json(QJsonObject{{u"status"_s, u"ready"_s}, {u"checks"_s, checks}});
    failure.insert(u"status"_s, u"not_ready"_s);
    failure.insert(u"checks"_s, checks);
    return HttpResponse::json(failure, 503);
}

HttpResponse status(const EngineHost &host)
{
    QJsonObject body{
        {u"version"_s, QStringLiteral(PITWALL_VERSION)},
        {u"node_id"_s, host.config().nodeId},
        {u"started_at"_s, host.startedAt().toString(Qt::ISODateWithMs)},
        {u"uptime_seconds"_s, host.startedAt().secsTo(QDateTime::currentDateTimeUtc())},
    };
    bool ready = true;
    for (const auto &component : host.components()) {
        ready = ready && component->readiness().ready;
        body.insert(component->name(), component->status());
    }
    body.insert(u"ready"_s, ready);
    return HttpResponse::json(body);
}

HttpResponse logs(const LogRing *ring, const HttpRequest &request)
{
    bool sinceOk = true;
    bool limitOk = true;
    const QString sinceText = request.query.queryItemValue(u"since"_s);
    const QString limitText = request.query.queryItemValue(u"limit"_s);
    const quint64 since = sinceText.isEmpty() ? 0 : sinceText.toULongLong(&sinceOk);
    const int limit = limitText.isEmpty() ? LogRing::DefaultLimit : limitText.toInt(&limitOk);
    if (!sinceOk)
        return HttpResponse::error(400, u"BAD_REQUEST"_s, u"since must be a log entry id"_s);
    if (!limitOk || limit < 1 || limit > LogRing::DefaultCapacity)
        return HttpResponse::error(400, u"BAD_REQUEST"_s,
                                   u"limit must be between 1 and %1"_s.arg(LogRing::DefaultCapacity));
    QJsonArray entries;
    for (const LogEntry &entry : ring->entriesSince(since, limit))
        entries.append(entry.toJson());
    return HttpResponse::json(QJsonObject{{u"entries"_s, entries},
                                          {u"last_id"_s, qint64(ring->lastId())}});
}

} // namespace

void registerCoreRoutes(EngineHost &host)
{
    Router &router = host.router();
    router.addRoute("GET", u"/healthz"_s, [](const HttpRequest &) {
        return HttpResponse::text("ok");
    });
    router.addRoute("GET", u"/readyz"_s, [&host](const HttpRequest &) {
        return readiness(host);
    });
    router.addRoute("GET", u"/status"_s, [&host](const HttpRequest &) {
        return status(host);
    });
    router.addRoute("GET", u"/metrics"_s, [&host](const HttpRequest &) {
        return HttpResponse::text(host.metrics().render(), MetricsRegistry::contentType);
    });
    router.addRoute("GET", u"/api/v1/version"_s, [](const HttpRequest &) {
        return HttpResponse::json(QJsonObject{{u"version"_s, QStringLiteral(PITWALL_VERSION)}});
    });
    LogRing *ring = host.logRing();
    // Logs show client addresses and request paths: admin only, like the other admin routes.
    router.addRoute("GET", u"/api/v1/logs"_s, SyncHandler([ring](const HttpRequest &request) {
        return logs(ring, request);
    }), RouteOptions{.admin = true});
}

} // namespace Pitwall
