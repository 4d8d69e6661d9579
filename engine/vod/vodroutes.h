#pragma once

namespace Pitwall {

class AdminRateLimiter;
class Router;
class VodComponent;
class VodEngine;
class VodStore;

// The VOD queue's HTTP API (research §3, without its defects):
//   GET  /vods?limit=&offset=&channel=     newest first; limit 1..200 (otherwise 50)
//   GET  /vods/{id}, /vods/{id}/progress, /vods/{id}/description
//   POST /vods/{id}/cancel                 202 when something was stopped or dequeued, else 204
//   POST /vods/{id}/reprocess              204
//   PUT|PATCH /vods/{id}/description       {"description": "..."} -> 204
//   POST|PUT /admin/vod/priority           {"vod_id", "priority"}
//   POST|PUT /admin/vod/skip-upload        {"vod_id", "skip_upload"}
//   GET|POST /admin/vod/scan?channel=      discovery now, answers when it is done
//   GET|POST /admin/vod/catalog?channel=&max=&max_age_days=   202 once the run started
//   GET  /admin/monitor?channel=
//   GET  /auth/twitch/start|callback, /auth/youtube/start|callback   (oauthroutes.h)
// Reads use the store on the HTTP thread; changes run on the engine's thread, so running jobs
// and the console see them. Changing and /admin routes are behind the admin guard, and then the
// rate limit (so failed logins never use up a client's window).
void registerVodRoutes(Router &router, const VodStore &store, VodEngine &engine,
                       const VodComponent &component, AdminRateLimiter &limiter);

} // namespace Pitwall
