#include "vod/chatroutes.h"

#include "core/http/router.h"
#include "relay/storeerrorresponse.h"
#include "vod/chatexportwriter.h"
#include "vod/chatstore.h"
#include "vod/chatstreams.h"

#include <QJsonArray>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr int defaultLimit = 1000;
constexpr int maxLimit = 5000;
constexpr double maxSpeed = 100;

// A numeric query parameter: nullopt when absent, false (and *refusal) when not a number.
bool number(const HttpRequest &request, const QString &name, std::optional<double> *value,
            HttpResponse *refusal)
{
    if (!request.query.hasQueryItem(name))
        return true;
    bool ok = false;
    const double parsed = request.query.queryItemValue(name).toDouble(&ok);
    if (!ok || !std::isfinite(parsed)) {
        *refusal = HttpResponse::error(400, u"%1 must be a number"_s.arg(name));
        return false;
    }
    *value = parsed;
    return true;
}

HttpResponse listChat(const ChatStore &store, const HttpRequest &request)
{
    std::optional<double> from;
    std::optional<double> to;
    std::optional<double> limit;
    HttpResponse refusal;
    if (!number(request, u"from"_s, &from, &refusal) || !number(request, u"to"_s, &to, &refusal)
        || !number(request, u"limit"_s, &limit, &refusal)) {
        return refusal;
    }
    ChatQuery query;
    query.from = from.value_or(0);
    if (to && *to > 0)
        query.to = to;
    query.limit = limit && *limit >= 1 && *limit <= maxLimit ? int(*limit) : defaultLimit;
    StoreError error;
    const std::optional<QList<StoredChatMessage>> rows =
            store.messages(request.pathParams.value(u"id"_s), query, &error);
    if (!rows)
        return storeErrorResponse(error, u"vod not found"_s);
    QJsonArray array;
    for (const StoredChatMessage &row : *rows)
        array.append(ChatExportWriter::toJson(row));
    return HttpResponse::json(array);
}

void streamChat(ChatStreams &streams, const HttpRequest &request, HttpResponder responder)
{
    std::optional<double> from;
    std::optional<double> speed;
    HttpResponse refusal;
    if (!number(request, u"from"_s, &from, &refusal)
        || !number(request, u"speed"_s, &speed, &refusal)) {
        responder.send(refusal);
        return;
    }
    ChatReplayRequest replay;
    replay.vodId = request.pathParams.value(u"id"_s);
    replay.from = std::max(from.value_or(0), 0.0);
    replay.speed = speed && *speed > 0 && *speed <= maxSpeed ? *speed : 1;
    bool ok = false;
    const qint64 lastEventId = request.header("Last-Event-ID").toLongLong(&ok);
    if (ok)
        replay.lastEventId = lastEventId;
    streams.replay(std::move(replay), std::move(responder));
}

void exportChat(ChatStreams &streams, const HttpRequest &request, HttpResponder responder)
{
    const QString name = request.query.queryItemValue(u"format"_s);
    const std::optional<ChatExportWriter::Format> format =
            ChatExportWriter::parseFormat(name.isEmpty() ? u"json"_s : name);
    if (!format) {
        responder.send(HttpResponse::error(400, u"format must be json, csv or txt"_s));
        return;
    }
    streams.exportChat(request.pathParams.value(u"id"_s), *format, std::move(responder));
}

} // namespace

void registerChatRoutes(Router &router, const ChatStore &store, ChatStreams &streams)
{
    router.addRoute("GET", u"/vods/{id}/chat"_s, SyncHandler([&store](const HttpRequest &request) {
        return listChat(store, request);
    }));
    router.addRoute("GET", u"/vods/{id}/chat/stream"_s,
                    Handler([&streams](const HttpRequest &request, HttpResponder responder) {
        streamChat(streams, request, std::move(responder));
    }));
    router.addRoute("GET", u"/vods/{id}/chat/export"_s,
                    Handler([&streams](const HttpRequest &request, HttpResponder responder) {
        exportChat(streams, request, std::move(responder));
    }));
}

} // namespace Pitwall
