#include "core/http/adminguard.h"

#include "core/http/httprequest.h"

#include <openssl/crypto.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QByteArray presentedToken(const HttpRequest &request)
{
    if (request.hasHeader("X-Admin-Token"))
        return request.header("X-Admin-Token");
    const QByteArray authorization = request.header("Authorization").trimmed();
    constexpr QByteArrayView scheme = "bearer ";
    if (authorization.size() > scheme.size()
        && authorization.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0)
        return authorization.sliced(scheme.size()).trimmed();
    return {};
}

bool sameToken(const QByteArray &presented, const QByteArray &expected)
{
    // The length may leak through timing; the bytes may not.
    return presented.size() == expected.size()
        && CRYPTO_memcmp(presented.constData(), expected.constData(), size_t(expected.size())) == 0;
}

HttpResponse unauthorized(const QString &message)
{
    HttpResponse response = HttpResponse::error(401, u"UNAUTHORIZED"_s, message);
    response.setHeader("WWW-Authenticate", "Bearer");
    return response;
}

} // namespace

AdminGuard::AdminGuard(const QString &token)
    : m_token(token.toUtf8())
{
}

std::optional<HttpResponse> AdminGuard::check(const HttpRequest &request) const
{
    if (hasToken()) {
        const QByteArray presented = presentedToken(request);
        if (presented.isEmpty())
            return unauthorized(u"admin token required"_s);
        if (!sameToken(presented, m_token))
            return unauthorized(u"invalid admin token"_s);
        return std::nullopt;
    }
    // The TCP peer decides, never X-Forwarded-For: a client can write that header itself, and
    // behind a reverse proxy every request comes from loopback anyway, which is why a proxied
    // deployment must set ADMIN_TOKEN.
    if (isLoopback(request.peerAddress))
        return std::nullopt;
    return HttpResponse::error(403, u"FORBIDDEN"_s,
                               u"admin API is restricted to loopback clients unless ADMIN_TOKEN is set"_s);
}

bool AdminGuard::isLoopback(const QHostAddress &address)
{
    bool mapped = false;
    const quint32 ipv4 = address.toIPv4Address(&mapped);
    return mapped ? QHostAddress(ipv4).isLoopback() : address.isLoopback();
}

} // namespace Pitwall
