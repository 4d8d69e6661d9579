#include "vod/vodroutes.h"

#include "core/http/router.h"
#include "relay/storeerrorresponse.h"
#include "vod/adminratelimiter.h"
#include "vod/oauthflow.h"
#include "vod/oauthroutes.h"
#include "vod/vodcomponent.h"
#include "vod/vodengine.h"
#include "vod/vodjson.h"
#include "vod/vodstore.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <memory>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QString notFound = u"vod not found"_s;

HttpResponse answer(const std::optional<VodRecord> &vod, const StoreError &error,
                    const std::function<HttpResponse(const VodRecord &)> &ok)
{
    return vod ? ok(*vod) : storeErrorResponse(error, notFound);
}

// A query number, or `fallback` when it is absent or outside [min, max].
int queryInt(const HttpRequest &request, const QString &name, int fallback, int min, int max)
{
    bool ok = false;
    const int value = request.query.queryItemValue(name).toInt(&ok);
    return ok && value >= min && value <= max ? value : fallback;
}

std::optional<QJsonObject> jsonBody(const HttpRequest &request)
{
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

// Runs work on the engine's thread and sends what it returns.
void onEngine(VodEngine &engine, HttpResponder responder,
              std::function<HttpResponse(VodEngine &)> work)
{
    auto shared = std::make_shared<HttpResponder>(std::move(responder));
    QMetaObject::invokeMethod(&engine, [&engine, shared, work = std::move(work)] {
        shared->send(work(engine));
    });
}

// The guard has already let the request in (auth first); then the client's window decides.
Handler limited(AdminRateLimiter &limiter, Handler handler)
{
    return [&limiter, handler = std::move(handler)](const HttpRequest &request,
                                                    HttpResponder responder) {
        if (std::optional<HttpResponse> refusal = limiter.check(request.peerAddress)) {
            responder.send(*refusal);
            return;
        }
        handler(request, std::move(responder));
    };
}

// A change by VOD id from the JSON body {"vod_id": ..., <field>: ...}, answered with
// {"status": "ok", "vod_id": ..., <field>: <value>}.
Handler bodyChange(VodEngine &engine, const QString &field, QJsonValue::Type type,
                   std::function<std::optional<VodRecord>(VodEngine &, const QString &,
                                                          const QJsonValue &, StoreError *)> change)
{
    return [&engine, field, type, change](const HttpRequest &request, HttpResponder responder) {
        const std::optional<QJsonObject> body = jsonBody(request);
        const QJsonValue value = body ? body->value(field) : QJsonValue();
        if (!body || value.type() != type
            || (type == QJsonValue::Double && value.toDouble() != double(value.toInt()))) {
            responder.send(HttpResponse::error(400, u"invalid json"_s));
            return;
        }
        const QString vodId = body->value(u"vod_id"_s).toString().trimmed();
        if (vodId.isEmpty()) {
            responder.send(HttpResponse::error(400, u"vod_id required"_s));
            return;
        }
        onEngine(engine, std::move(responder), [=](VodEngine &e) {
            StoreError error;
            return answer(change(e, vodId, value, &error), error, [&](const VodRecord &) {
                return HttpResponse::json(QJsonObject{
                        {u"status"_s, u"ok"_s}, {u"vod_id"_s, vodId}, {field, value}});
            });
        });
    };
}

void registerReads(Router &router, const VodStore &store)
{
    router.addRoute("GET", u"/vods"_s, SyncHandler([&store](const HttpRequest &request) {
        VodListFilter filter;
        filter.limit = queryInt(request, u"limit"_s, 50, 1, 200);
        filter.offset = queryInt(request, u"offset"_s, 0, 0, std::numeric_limits<int>::max());
        filter.channel = request.query.queryItemValue(u"channel"_s).trimmed().toLower();
        StoreError error;
        const auto vods = store.list(filter, &error);
        if (!vods)
            return storeErrorResponse(error, notFound);
        QJsonArray array;
        for (const VodRecord &vod : *vods)
            array.append(VodJson::summary(vod));
        return HttpResponse::json(array);
    }));
    const auto byId = [&store](std::function<QJsonObject(const VodRecord &)> shape) {
        return SyncHandler([&store, shape](const HttpRequest &request) {
            StoreError error;
            return answer(store.get(request.pathParams.value(u"id"_s), &error), error,
                          [&](const VodRecord &vod) { return HttpResponse::json(shape(vod)); });
        });
    };
    router.addRoute("GET", u"/vods/{id}"_s, byId(&VodJson::detail));
    router.addRoute("GET", u"/vods/{id}/progress"_s, byId(&VodJson::progress));
    router.addRoute("GET", u"/vods/{id}/description"_s, byId([](const VodRecord &vod) {
        return QJsonObject{{u"vod_id"_s, vod.twitchVodId}, {u"description"_s, vod.description}};
    }));
}

void registerChanges(Router &router, VodEngine &engine, AdminRateLimiter &limiter)
{
    const RouteOptions admin{.admin = true};
    router.addRoute("POST", u"/vods/{id}/cancel"_s,
                    limited(limiter, [&engine](const HttpRequest &request, HttpResponder responder) {
        const QString id = request.pathParams.value(u"id"_s);
        onEngine(engine, std::move(responder), [id](VodEngine &e) {
            StoreError error;
            const std::optional<CancelResult> result = e.cancelVod(id, &error);
            if (!result)
                return storeErrorResponse(error, notFound);
            return HttpResponse(result->changed ? 202 : 204);
        });
    }), admin);
    router.addRoute("POST", u"/vods/{id}/reprocess"_s,
                    limited(limiter, [&engine](const HttpRequest &request, HttpResponder responder) {
        const QString id = request.pathParams.value(u"id"_s);
        onEngine(engine, std::move(responder), [id](VodEngine &e) {
            StoreError error;
            return answer(e.reprocessVod(id, &error), error,
                          [](const VodRecord &) { return HttpResponse(204); });
        });
    }), admin);
    const Handler description = limited(limiter, [&engine](const HttpRequest &request,
                                                          HttpResponder responder) {
        const std::optional<QJsonObject> body = jsonBody(request);
        if (!body || !body->value(u"description"_s).isString()) {
            responder.send(HttpResponse::error(400, u"invalid json"_s));
            return;
        }
        const QString id = request.pathParams.value(u"id"_s);
        const QString text = body->value(u"description"_s).toString().trimmed();
        onEngine(engine, std::move(responder), [id, text](VodEngine &e) {
            StoreError error;
            return answer(e.setVodDescription(id, text, &error), error,
                          [](const VodRecord &) { return HttpResponse(204); });
        });
    });
    router.addRoute("PUT", u"/vods/{id}/description"_s, description, admin);
    router.addRoute("PATCH", u"/vods/{id}/description"_s, description, admin);

    const Handler priority = limited(limiter, bodyChange(engine, u"priority"_s, QJsonValue::Double,
            [](VodEngine &e, const QString &id, const QJsonValue &value, StoreError *error) {
                return e.setVodPriority(id, value.toInt(), error);
            }));
    const Handler skipUpload = limited(limiter, bodyChange(engine, u"skip_upload"_s, QJsonValue::Bool,
            [](VodEngine &e, const QString &id, const QJsonValue &value, StoreError *error) {
                return e.setVodSkipUpload(id, value.toBool(), error);
            }));
    for (const QByteArray method : {"POST", "PUT"}) {
        router.addRoute(method, u"/admin/vod/priority"_s, priority, admin);
        router.addRoute(method, u"/admin/vod/skip-upload"_s, skipUpload, admin);
    }
}

void registerAdmin(Router &router, VodEngine &engine, const VodComponent &component,
                   AdminRateLimiter &limiter)
{
    const RouteOptions admin{.admin = true};
    const Handler scan = limited(limiter, [&engine](const HttpRequest &request,
                                                   HttpResponder responder) {
        const QString channel = request.query.queryItemValue(u"channel"_s).trimmed().toLower();
        auto shared = std::make_shared<HttpResponder>(std::move(responder));
        QMetaObject::invokeMethod(&engine, [&engine, channel, shared] {
            engine.scan(channel, [shared](const HttpResponse &response) { shared->send(response); });
        });
    });
    const Handler catalog = limited(limiter, [&engine](const HttpRequest &request,
                                                      HttpResponder responder) {
        const QString channel = request.query.queryItemValue(u"channel"_s).trimmed().toLower();
        bool ok = true;
        std::optional<int> max;
        std::optional<int> maxAgeDays;
        for (const auto &[name, out] : {std::pair{u"max"_s, &max}, {u"max_age_days"_s, &maxAgeDays}}) {
            const QString text = request.query.queryItemValue(name);
            if (text.isEmpty())
                continue;
            const int value = text.toInt(&ok);
            if (!ok || value < 0) {
                responder.send(HttpResponse::error(400, name + u" must be a whole number >= 0"_s));
                return;
            }
            *out = value;
        }
        onEngine(engine, std::move(responder), [=](VodEngine &e) {
            return e.startCatalog(channel, max, maxAgeDays);
        });
    });
    for (const QByteArray method : {"GET", "POST"}) {
        router.addRoute(method, u"/admin/vod/scan"_s, scan, admin);
        router.addRoute(method, u"/admin/vod/catalog"_s, catalog, admin);
    }
    router.addRoute("GET", u"/admin/monitor"_s,
                    limited(limiter, [&component](const HttpRequest &request, HttpResponder responder) {
        const QString channel = request.query.queryItemValue(u"channel"_s).trimmed().toLower();
        if (!channel.isEmpty()) {
            const std::optional<ChannelStatus> status = component.channel(channel);
            responder.send(status ? HttpResponse::json(status->toMonitorJson())
                                  : HttpResponse::error(404, u"unknown channel"_s));
            return;
        }
        QJsonObject channels;
        for (const ChannelStatus &status : component.channels())
            channels.insert(status.channel, status.toMonitorJson());
        const ChannelStatus sum = component.totals();
        responder.send(HttpResponse::json(QJsonObject{{u"vods_pending"_s, sum.pending},
                                                      {u"vods_errored"_s, sum.errored},
                                                      {u"vods_processed"_s, sum.processed},
                                                      {u"channels"_s, channels}}));
    }), admin);
}

} // namespace

void registerVodRoutes(Router &router, const VodStore &store, VodEngine &engine,
                       const VodComponent &component, AdminRateLimiter &limiter)
{
    registerReads(router, store);
    registerChanges(router, engine, limiter);
    registerAdmin(router, engine, component, limiter);
    // A child of the engine: it moves to the engine's thread with it and goes with it.
    registerOAuthRoutes(router, *new OAuthFlow(engine.database(), engine.config(), &engine));
}

} // namespace Pitwall
