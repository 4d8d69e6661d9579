#pragma once

#include "core/http/httpresponse.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <optional>

namespace Pitwall {

struct HttpRequest;

// The one gate in front of every admin route. With ADMIN_TOKEN set, the request must carry it in
// X-Admin-Token or "Authorization: Bearer <token>"; without one, only loopback clients get in.
class AdminGuard final
{
public:
    explicit AdminGuard(const QString &token = {});

    bool hasToken() const { return !m_token.isEmpty(); }
    // nullopt when the request may pass, otherwise the 401/403 response to send.
    std::optional<HttpResponse> check(const HttpRequest &request) const;

    // 127.0.0.0/8, ::1 and IPv4-mapped loopback (what a dual-stack listener reports).
    static bool isLoopback(const QHostAddress &address);

private:
    QByteArray m_token;
};

} // namespace Pitwall
