#pragma once

namespace Pitwall {

class OAuthFlow;
class Router;

// The operator's OAuth flows (research §3):
//   GET /auth/twitch/start, /auth/youtube/start        302 to the provider (admin guard)
//   GET /auth/twitch/callback, /auth/youtube/callback  ?code=&state= -> the stored token's summary
// vod-tender leaves both unauthenticated, so anyone who can reach the API binds their own
// account (research §10, security). Here /start is behind the admin guard; the callback cannot
// be, since the provider's redirect carries no admin credentials, but it only accepts a state
// that an admin's /start issued for that provider, once and within 10 minutes.
void registerOAuthRoutes(Router &router, OAuthFlow &flow);

} // namespace Pitwall
