#pragma once

#include <QList>
#include <QStringList>

#include <chrono>

namespace Pitwall {

// Who may be governed. Empty lists do not restrict; a zero runtime is off. The same keys exist
// globally (`filters`) and per command (`commands.<name>.filters`); a process must pass both.
struct WatchFilters
{
    std::chrono::milliseconds minRuntime{0}; // younger processes are deferred, not forgotten
    std::chrono::milliseconds maxRuntime{0}; // older processes are rejected
    QStringList allowedUsers;                // user names of the real uid
    QStringList blockedUsers;
    QList<uint> allowedUids;
    QList<uint> blockedUids;
    QList<int> allowedParents;               // the direct ppid
    QList<int> blockedParents;
    QStringList allowedDirs;                 // absolute, cleaned; path-component prefix match
    QStringList blockedDirs;

    bool operator==(const WatchFilters &) const = default;
};

} // namespace Pitwall
