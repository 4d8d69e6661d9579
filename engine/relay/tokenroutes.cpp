#include "relay/tokenroutes.h"

#include "core/http/router.h"
#include "relay/tokenstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

HttpResponse errorResponse(const TokenError &error)
{
    switch (error.kind) {
    case TokenError::Kind::InvalidDeviceType:
    case TokenError::Kind::EmptyDeviceId:
    case TokenError::Kind::EmptyToken:
    case TokenError::Kind::WeakToken:
    case TokenError::Kind::InvalidTokenId:
        return HttpResponse::error(400, error.message);
    case TokenError::Kind::Duplicate:
        return HttpResponse::error(409, error.message);
    case TokenError::Kind::NotFound:
        return HttpResponse::error(404, error.message);
    case TokenError::Kind::Unavailable:
        return HttpResponse::error(503, u"database unavailable"_s);
    case TokenError::Kind::DatabaseError:
        break;
    }
    // The database's text went to the log; clients get the reference server's generic message.
    return HttpResponse::error(500, u"An internal error occurred"_s);
}

// An optional string member: absent or null -> std::nullopt; *ok is false for another type.
std::optional<QString> optionalString(const QJsonObject &object, const QString &key, bool *ok)
{
    const QJsonValue value = object.value(key);
    *ok = value.isUndefined() || value.isNull() || value.isString();
    if (!value.isString())
        return std::nullopt;
    return value.toString();
}

HttpResponse createToken(TokenStore &store, const HttpRequest &request)
{
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return HttpResponse::error(400, u"request body must be a JSON object"_s);
    const QJsonObject body = document.object();
    // A device_type that is not a string is simply not one of the two names: the store says so.
    const QString deviceType = body.value(u"device_type"_s).toString();
    bool ok = true;
    const std::optional<QString> deviceId = optionalString(body, u"device_id"_s, &ok);
    if (!ok)
        return HttpResponse::error(400, u"device_id must be a string"_s);
    const std::optional<QString> token = optionalString(body, u"token"_s, &ok);
    if (!ok)
        return HttpResponse::error(400, u"token must be a string"_s);

    TokenError error;
    const std::optional<CreatedToken> created =
        store.create(deviceType, deviceId.value_or(QString()), token, &error);
    if (!created)
        return errorResponse(error);
    return HttpResponse::json(QJsonObject{{u"token_id"_s, created->tokenId},
                                          {u"device_id"_s, created->deviceId},
                                          {u"device_type"_s, deviceTypeName(created->deviceType)},
                                          {u"token"_s, created->token}},
                              201);
}

HttpResponse listTokens(const TokenStore &store)
{
    TokenError error;
    const std::optional<QList<TokenInfo>> tokens = store.list(&error);
    if (!tokens)
        return errorResponse(error);
    QJsonArray array;
    for (const TokenInfo &token : *tokens) {
        array.append(QJsonObject{{u"token_id"_s, token.tokenId},
                                 {u"device_type"_s, deviceTypeName(token.deviceType)},
                                 {u"device_id"_s, token.deviceId},
                                 {u"created_at"_s, token.createdAt.toString(Qt::ISODateWithMs)},
                                 {u"revoked"_s, token.revoked}});
    }
    return HttpResponse::json(QJsonObject{{u"tokens"_s, array}});
}

HttpResponse noContentOr(bool done, const TokenError &error)
{
    return done ? HttpResponse(204) : errorResponse(error);
}

} // namespace

void registerTokenRoutes(Router &router, TokenStore &store)
{
    const RouteOptions admin{.admin = true};
    const QString tokens = u"/api/v1/admin/tokens"_s;
    router.addRoute("POST", tokens, SyncHandler([&store](const HttpRequest &request) {
        return createToken(store, request);
    }), admin);
    router.addRoute("GET", tokens, SyncHandler([&store](const HttpRequest &) {
        return listTokens(store);
    }), admin);
    router.addRoute("DELETE", tokens, SyncHandler([&store](const HttpRequest &) {
        TokenError error;
        const bool done = store.deleteAll(&error);
        return noContentOr(done, error);
    }), admin);
    router.addRoute("POST", tokens + u"/{token_id}/revoke"_s,
                    SyncHandler([&store](const HttpRequest &request) {
        TokenError error;
        const bool done = store.revoke(request.pathParams.value(u"token_id"_s), &error);
        return noContentOr(done, error);
    }), admin);
}

} // namespace Pitwall
