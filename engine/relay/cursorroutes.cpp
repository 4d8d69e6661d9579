#include "relay/cursorroutes.h"

#include "core/http/router.h"
#include "relay/cursorstore.h"
#include "relay/jsonfield.h"
#include "relay/storeerrorresponse.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

HttpResponse listCursors(const CursorStore &cursors)
{
    StoreError error;
    const std::optional<QList<ReceiverCursor>> list = cursors.cursors(&error);
    if (!list)
        return storeErrorResponse(error);
    QJsonArray array;
    for (const ReceiverCursor &cursor : *list) {
        array.append(QJsonObject{{u"receiver_id"_s, cursor.receiverId},
                                 {u"stream_id"_s, cursor.streamId},
                                 {u"stream_epoch"_s, cursor.streamEpoch},
                                 {u"last_seq"_s, cursor.lastSeq},
                                 {u"updated_at"_s, JsonField::timestamp(cursor.updatedAt)}});
    }
    return HttpResponse::json(QJsonObject{{u"cursors"_s, array}});
}

// The reference server answered 204 even when the receiver (or receiver and stream) had no
// cursor at all, so a typo in an id looked like success; we say 404 when nothing was deleted.
// A stream id that is not a UUID cannot have cursors either.
HttpResponse deleteCursors(const CursorStore &cursors, const HttpRequest &request)
{
    const QString notFound = u"receiver cursor not found"_s;
    const auto streamId = request.pathParams.constFind(u"stream_id"_s);
    StoreError error;
    const std::optional<int> deleted = cursors.deleteCursors(
            request.pathParams.value(u"receiver_id"_s),
            streamId == request.pathParams.cend() ? std::nullopt : std::optional(*streamId),
            &error);
    if (!deleted) {
        if (error.kind == StoreError::Kind::Invalid)
            return HttpResponse::error(404, notFound);
        return storeErrorResponse(error);
    }
    return *deleted > 0 ? HttpResponse(204) : HttpResponse::error(404, notFound);
}

} // namespace

void registerCursorRoutes(Router &router, const CursorStore &cursors)
{
    const RouteOptions admin{.admin = true};
    const QString base = u"/api/v1/admin/receiver-cursors"_s;
    router.addRoute("GET", base, SyncHandler([&cursors](const HttpRequest &) {
        return listCursors(cursors);
    }), admin);
    router.addRoute("DELETE", base, SyncHandler([&cursors](const HttpRequest &) {
        StoreError error;
        return cursors.deleteAllCursors(&error) ? HttpResponse(204) : storeErrorResponse(error);
    }), admin);
    const SyncHandler deleteSome = [&cursors](const HttpRequest &request) {
        return deleteCursors(cursors, request);
    };
    router.addRoute("DELETE", base + u"/{receiver_id}"_s, deleteSome, admin);
    router.addRoute("DELETE", base + u"/{receiver_id}/{stream_id}"_s, deleteSome, admin);
}

} // namespace Pitwall
