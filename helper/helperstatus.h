#pragma once

#include <QString>

namespace Pitwall {

// pitwall-helper's exit codes, also named in its JSON answer ("code"). All distinct from what
// pkexec itself returns: 126 (authorization refused or dialog dismissed), 127 (not authorized
// to run / helper not found).
enum class HelperStatus {
    Ok = 0,
    Malformed = 2,     // the request is not a well-formed request (JSON, keys, types, size)
    Refused = 3,       // well-formed but refused: value ranges, process identity, not a target
    CgroupFailed = 4,  // the cgroup work itself failed (mkdir, write, move, rmdir)
    ConfigError = 5,   // helper.conf unreadable, unsafe (ownership, mode) or invalid
};

// "ok", "malformed", "refused", "cgroup_failed", "config_error".
QString helperStatusName(HelperStatus status);

} // namespace Pitwall
