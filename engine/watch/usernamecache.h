#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

// uid -> user name through NSS (getpwuid_r, so LDAP/SSSD users resolve too), remembered for a
// while: the filters ask for every matched process on every scan. Unknown uids are remembered
// as unknown for the same time, so a user added later is seen within `ttl`. Not thread-safe.
class UserNameCache final
{
public:
    explicit UserNameCache(std::chrono::milliseconds ttl = std::chrono::minutes(1));

    std::optional<QString> nameOf(uint uid);

    static std::optional<QString> lookup(uint uid);

private:
    struct Entry
    {
        std::optional<QString> name;
        QDeadlineTimer expiry;
    };

    std::chrono::milliseconds m_ttl;
    QHash<uint, Entry> m_entries;
};

} // namespace Pitwall
