#pragma once

#include "watch/filterdecision.h"
#include "watch/processinfo.h"
#include "watch/usernamecache.h"
#include "watch/watchconfig.h"

#include <optional>

namespace Pitwall {

// Decides whether one discovered process is to be governed. A process must pass the global
// `filters` AND its command's `commands.<name>.filters` (every key exists on both levels).
//
// - users: by name of the real uid (NSS, cached); uids by number; parents: the direct ppid.
// - dirs: path-component prefix (`/tmp` covers `/tmp` and `/tmp/x`, not `/tmpx`), checked on the
//   cwd AND on the executable's directory: blocked when either lies under a blocked dir, allowed
//   when either lies under an allowed dir.
// - unreadable cwd or unknown user name: block-lists fail open (the process cannot be shown to be
//   blocked; the executable's directory is still checked), allow-lists fail closed. Either way
//   the decision's reason says so, for the log.
// - max_runtime rejects older processes; min_runtime defers younger ones until they are old
//   enough (the larger of both levels wins). A rejection wins over a deferral.
//
// Age is now - startedAt (startedAt = btime + starttime / CLK_TCK; btime is whole seconds, so
// an age can be overestimated by up to one second). Not thread-safe (the user name cache).
class ProcessFilter final
{
public:
    explicit ProcessFilter(const WatchConfig &config);

    FilterDecision decide(const ProcessInfo &process, const QDateTime &now) const;

private:
    struct Level
    {
        QString path; // "filters" or "commands.<name>.filters", to name the rule in reasons
        WatchFilters filters;
    };

    std::optional<QString> rejection(const Level &level, const ProcessInfo &process,
                                     std::chrono::milliseconds age, QStringList &notes) const;
    std::optional<QString> userRejection(const Level &level, uint uid, QStringList &notes) const;
    static std::optional<QString> dirRejection(const Level &level, const ProcessInfo &process,
                                               QStringList &notes);

    Level m_global;
    QHash<QString, Level> m_commands;
    mutable UserNameCache m_users;
};

} // namespace Pitwall
