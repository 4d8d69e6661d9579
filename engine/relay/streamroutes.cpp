#include "relay/streamroutes.h"

#include "core/http/router.h"
#include "relay/cursorroutes.h"
#include "relay/eventstore.h"
#include "relay/exportroutes.h"
#include "relay/storeerrorresponse.h"
#include "relay/streammetricsjson.h"
#include "relay/streamstore.h"
#include "relay/streamtarget.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// A request to one stream with a JSON object body; nullopt (and *refusal) when the stream id
// or the body is not one.
struct StreamUpdate
{
    StreamTarget target;
    QJsonObject body;

    static std::optional<StreamUpdate> parse(const HttpRequest &request, HttpResponse *refusal)
    {
        const std::optional<StreamTarget> target = StreamTarget::parse(request, refusal);
        if (!target)
            return std::nullopt;
        const QJsonDocument document = QJsonDocument::fromJson(request.body);
        if (!document.isObject()) {
            *refusal = HttpResponse::error(400, u"request body must be a JSON object"_s);
            return std::nullopt;
        }
        return StreamUpdate{*target, document.object()};
    }
};

HttpResponse listStreams(const StreamStore &streams)
{
    StoreError error;
    const std::optional<QList<StreamInfo>> list = streams.list(&error);
    if (!list)
        return storeErrorResponse(error);
    QJsonArray array;
    for (const StreamInfo &stream : *list)
        array.append(stream.toJson());
    return HttpResponse::json(QJsonObject{{u"streams"_s, array}});
}

HttpResponse renameRoute(const StreamStore &streams, const StreamEventSink &notify,
                         const HttpRequest &request)
{
    HttpResponse refusal;
    const std::optional<StreamUpdate> update = StreamUpdate::parse(request, &refusal);
    if (!update)
        return refusal;
    const QString &streamId = update->target.streamId;
    const QJsonValue alias = update->body.value(u"display_alias"_s);
    if (!alias.isString())
        return HttpResponse::error(400, u"display_alias is required"_s);
    StoreError error;
    if (!renameStream(streams, notify, streamId, alias.toString(), &error))
        return storeErrorResponse(error);
    return HttpResponse::json(QJsonObject{{u"display_alias"_s, alias}});
}

HttpResponse streamMetrics(const EventStore &events, const HttpRequest &request)
{
    HttpResponse refusal;
    const std::optional<StreamTarget> target = StreamTarget::parse(request, &refusal);
    if (!target)
        return refusal;
    StoreError error;
    const std::optional<StreamMetrics> metrics = events.metrics(target->streamId, &error);
    if (!metrics)
        return storeErrorResponse(error);
    return HttpResponse::json(streamMetricsJson(*metrics));
}

HttpResponse listEpochs(const StreamStore &streams, const HttpRequest &request)
{
    HttpResponse refusal;
    const std::optional<StreamTarget> target = StreamTarget::parse(request, &refusal);
    if (!target)
        return refusal;
    StoreError error;
    const std::optional<QList<EpochInfo>> epochs = streams.epochs(target->streamId, &error);
    if (!epochs)
        return storeErrorResponse(error);
    // A bare array, not {"epochs":[...]}: the reference dashboard reads it that way.
    QJsonArray array;
    for (const EpochInfo &epoch : *epochs)
        array.append(epoch.toJson());
    return HttpResponse::json(array);
}

HttpResponse nameEpoch(const StreamStore &streams, const HttpRequest &request)
{
    HttpResponse refusal;
    const std::optional<StreamUpdate> update = StreamUpdate::parse(request, &refusal);
    if (!update)
        return refusal;
    const StreamTarget &target = update->target;
    const QJsonValue value = update->body.value(u"name"_s);
    if (value.isUndefined())
        return HttpResponse::error(400, u"name is required"_s);
    if (!value.isString() && !value.isNull())
        return HttpResponse::error(400, u"name must be a string or null"_s);
    const QString trimmed = value.toString().trimmed();
    const std::optional<QString> name =
            trimmed.isEmpty() ? std::nullopt : std::optional<QString>(trimmed);
    StoreError error;
    if (!streams.setEpochName(target.streamId, *target.epoch, name, &error))
        return storeErrorResponse(error);
    return HttpResponse::json(QJsonObject{{u"stream_id"_s, target.streamId},
                                          {u"stream_epoch"_s, *target.epoch},
                                          {u"name"_s, name ? QJsonValue(*name) : QJsonValue()}});
}

} // namespace

bool renameStream(const StreamStore &streams, const StreamEventSink &notify,
                  const QString &streamId, const QString &alias, StoreError *error)
{
    if (!streams.rename(streamId, alias, error))
        return false;
    if (notify) {
        notify({{u"type"_s, u"stream_updated"_s},
                {u"stream_id"_s, streamId},
                {u"display_alias"_s, alias}});
    }
    return true;
}

void registerStreamRoutes(Router &router, const StreamStore &streams, const EventStore &events,
                          const CursorStore &cursors, StreamEventSink notify)
{
    const QString stream = u"/api/v1/streams/{stream_id}"_s;
    router.addRoute("GET", u"/api/v1/streams"_s, SyncHandler([&streams](const HttpRequest &) {
        return listStreams(streams);
    }));
    router.addRoute("PATCH", stream,
                    SyncHandler([&streams, notify = std::move(notify)](const HttpRequest &request) {
        return renameRoute(streams, notify, request);
    }));
    router.addRoute("GET", stream + u"/metrics"_s,
                    SyncHandler([&events](const HttpRequest &request) {
        return streamMetrics(events, request);
    }));
    router.addRoute("GET", stream + u"/epochs"_s,
                    SyncHandler([&streams](const HttpRequest &request) {
        return listEpochs(streams, request);
    }));
    router.addRoute("PUT", stream + u"/epochs/{epoch}/name"_s,
                    SyncHandler([&streams](const HttpRequest &request) {
        return nameEpoch(streams, request);
    }));
    registerExportRoutes(router, streams, events);
    registerCursorRoutes(router, cursors);
}

} // namespace Pitwall
