#pragma once

#include "core/http/httpresponse.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <optional>

namespace Pitwall {

struct HttpRequest;

// The one gate in front of every admin route. With ADMIN_TOKEN set, the request may carry it in
// X-Admin-Token or "Authorization: Bearer <token>"; with ADMIN_USERNAME and ADMIN_PASSWORD set,
// it may authenticate with HTTP Basic. With neither configured, only loopback clients get in.
class AdminGuard final
{
public:
    explicit AdminGuard(const QString &token = {}, const QString &username = {},
                        const QString &password = {});

    bool hasToken() const { return !m_token.isEmpty(); }
    bool hasBasic() const { return !m_basic.isEmpty(); }
    // nullopt when the request may pass, otherwise the 401/403 response to send.
    std::optional<HttpResponse> check(const HttpRequest &request) const;

    // 127.0.0.0/8, ::1 and IPv4-mapped loopback (what a dual-stack listener reports).
    static bool isLoopback(const QHostAddress &address);

private:
    bool tokenMatches(const HttpRequest &request) const;
    bool basicMatches(const HttpRequest &request) const;

    QByteArray m_token;
    QByteArray m_basic; // "user:password", what a Basic header carries base64-encoded
};

} // namespace Pitwall
