#pragma once

namespace Pitwall {

class Router;
class TokenStore;

// The admin API of device tokens, behind the router's AdminGuard:
//   POST   /api/v1/admin/tokens                    {"device_type","device_id","token"?} -> 201
//   GET    /api/v1/admin/tokens                    -> {"tokens":[...]}
//   POST   /api/v1/admin/tokens/{token_id}/revoke  -> 204 / 404
//   DELETE /api/v1/admin/tokens                    -> 204
// Handlers run on the HTTP thread and query its own connection synchronously (tiny statements).
// A database that cannot be reached answers 503 SERVICE_UNAVAILABLE.
void registerTokenRoutes(Router &router, TokenStore &store);

} // namespace Pitwall
