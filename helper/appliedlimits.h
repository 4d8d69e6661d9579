#pragma once

#include "cgrouplimits.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace Pitwall {

// What a job cgroup really holds after CgroupManager::createJob: the limits as read back from
// the kernel's files, the job's cgroup directory in every hierarchy, and the requested limits
// this host cannot express (v1 has no memory.high).
struct AppliedLimits
{
    CgroupLimits limits;
    QStringList paths;
    QStringList unsupported;  // JSON keys of CgroupLimits, e.g. "memory_high"

    // {"applied":{...},"paths":[...],"unsupported":[...]}; the helper's answer carries these keys.
    QJsonObject toJson() const;
    static std::optional<AppliedLimits> fromJson(const QJsonObject &object, QString *error);

    bool operator==(const AppliedLimits &) const = default;
};

} // namespace Pitwall
