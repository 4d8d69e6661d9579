#include "vod/oauthroutes.h"

#include "core/http/router.h"
#include "vod/oauthflow.h"
#include "vod/oauthtoken.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace Pitwall {

void registerOAuthRoutes(Router &router, OAuthFlow &flow)
{
    for (const QString &provider : {OAuthToken::twitch, OAuthToken::youtube}) {
        router.addRoute("GET", u"/auth/%1/start"_s.arg(provider),
                        [&flow, provider](const HttpRequest &, HttpResponder responder) {
            auto shared = std::make_shared<HttpResponder>(std::move(responder));
            QMetaObject::invokeMethod(&flow, [&flow, provider, shared] {
                shared->send(flow.start(provider));
            });
        }, RouteOptions{.admin = true});
        router.addRoute("GET", u"/auth/%1/callback"_s.arg(provider),
                        [&flow, provider](const HttpRequest &request, HttpResponder responder) {
            auto shared = std::make_shared<HttpResponder>(std::move(responder));
            QMetaObject::invokeMethod(&flow, [&flow, provider, query = request.query, shared] {
                flow.finish(provider, query,
                            [shared](const HttpResponse &response) { shared->send(response); });
            });
        });
    }
}

} // namespace Pitwall
