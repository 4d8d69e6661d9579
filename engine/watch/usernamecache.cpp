#include "watch/usernamecache.h"

#include <QByteArray>

#include <pwd.h>
#include <unistd.h>

#include <cerrno>

namespace Pitwall {

UserNameCache::UserNameCache(std::chrono::milliseconds ttl)
    : m_ttl(ttl)
{
}

std::optional<QString> UserNameCache::nameOf(uint uid)
{
    const auto it = m_entries.constFind(uid);
    if (it != m_entries.cend() && !it->expiry.hasExpired())
        return it->name;
    Entry entry{lookup(uid), QDeadlineTimer(m_ttl)};
    m_entries.insert(uid, entry);
    return entry.name;
}

std::optional<QString> UserNameCache::lookup(uint uid)
{
    const long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    QByteArray buffer(hint > 0 ? qsizetype(hint) : 16384, Qt::Uninitialized);
    passwd entry = {};
    passwd *result = nullptr;
    int rc = 0;
    // ERANGE: the entry does not fit (long gecos, many NSS fields); grow and ask again.
    while ((rc = ::getpwuid_r(uid_t(uid), &entry, buffer.data(), size_t(buffer.size()), &result))
               == ERANGE
           && buffer.size() < 1024 * 1024)
        buffer.resize(buffer.size() * 2);
    if (rc != 0 || !result || !result->pw_name)
        return std::nullopt;
    return QString::fromLocal8Bit(result->pw_name);
}

} // namespace Pitwall
