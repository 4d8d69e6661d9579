#include "core/http/adminguard.h"

#include "core/http/httprequest.h"

#include <openssl/crypto.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The credentials after "<scheme> " in the Authorization header, empty for another scheme.
QByteArray authorizationCredentials(const HttpRequest &request, QByteArrayView scheme)
{
    const QByteArray authorization = request.header("Authorization").trimmed();
    if (authorization.size() > scheme.size() + 1
        && authorization.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0
        && authorization.at(scheme.size()) == ' ')
        return authorization.sliced(scheme.size() + 1).trimmed();
    return {};
}

QByteArray presentedToken(const HttpRequest &request)
{
    if (request.hasHeader("X-Admin-Token"))
        return request.header("X-Admin-Token");
    return authorizationCredentials(request, "bearer");
}

bool sameSecret(const QByteArray &presented, const QByteArray &expected)
{
    // The length may leak through timing; the bytes may not.
    return presented.size() == expected.size()
        && CRYPTO_memcmp(presented.constData(), expected.constData(), size_t(expected.size())) == 0;
}

HttpResponse unauthorized(const QString &message)
{
    HttpResponse response = HttpResponse::error(401, u"UNAUTHORIZED"_s, message);
    // The realm operators' scripts and browsers of the VOD service already know.
    response.setHeader("WWW-Authenticate", R"(Basic realm="vod-tender admin")");
    return response;
}

} // namespace

AdminGuard::AdminGuard(const QString &token, const QString &username, const QString &password)
    : m_token(token.toUtf8())
{
    if (!username.isEmpty() && !password.isEmpty())
        m_basic = (username + u':' + password).toUtf8();
}

bool AdminGuard::tokenMatches(const HttpRequest &request) const
{
    return hasToken() && sameSecret(presentedToken(request), m_token);
}

bool AdminGuard::basicMatches(const HttpRequest &request) const
{
    if (!hasBasic())
        return false;
    const QByteArray encoded = authorizationCredentials(request, "basic");
    const auto decoded = QByteArray::fromBase64Encoding(encoded,
                                                        QByteArray::AbortOnBase64DecodingErrors);
    return !encoded.isEmpty() && decoded && sameSecret(decoded.decoded, m_basic);
}

std::optional<HttpResponse> AdminGuard::check(const HttpRequest &request) const
{
    if (hasToken() || hasBasic()) {
        if (tokenMatches(request) || basicMatches(request))
            return std::nullopt;
        const bool presented = !presentedToken(request).isEmpty()
            || (hasBasic() && !authorizationCredentials(request, "basic").isEmpty());
        const QString what = hasBasic() ? u"admin credentials"_s : u"admin token"_s;
        return unauthorized(presented ? u"invalid "_s + what : what + u" required"_s);
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
