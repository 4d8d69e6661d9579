#pragma once

namespace Pitwall {

class CursorStore;
class Router;

// The admin API of receiver cursors, behind the router's AdminGuard:
//   GET    /api/v1/admin/receiver-cursors                          -> {"cursors":[...]}
//   DELETE /api/v1/admin/receiver-cursors                          -> 204
//   DELETE /api/v1/admin/receiver-cursors/{receiver_id}            -> 204 / 404
//   DELETE /api/v1/admin/receiver-cursors/{receiver_id}/{stream_id} -> 204 / 404
// The store must outlive the router.
void registerCursorRoutes(Router &router, const CursorStore &cursors);

} // namespace Pitwall
