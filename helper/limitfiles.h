#pragma once

#include "cgroupdir.h"
#include "cgrouplimits.h"

#include <optional>

namespace Pitwall {

// How CgroupLimits map onto the kernel's files, and back. Each set limit is written (one
// write(2) per file) and then read back; the result holds what the kernel reports, which may
// differ from the request only by kernel rounding. Unset limits are neither written nor read.
namespace LimitFiles {

// cgroup v2, one job directory: cpu.max "<quota*1000> 100000", cpu.weight, memory.high,
// memory.max (bytes). A limit whose controller the job's cgroup.controllers lacks is refused
// with a message naming the controller.
std::optional<CgroupLimits> applyUnified(const CgroupDir &job, const CgroupLimits &limits,
                                         QString *error);

// cgroup v1: cpu.cfs_period_us 100000 + cpu.cfs_quota_us, cpu.shares = weight*1024/100 in the
// cpu hierarchy; memory.limit_in_bytes in the memory hierarchy. memory_high has no v1 file: it
// is not written (the caller reports it as unsupported).
std::optional<CgroupLimits> applyV1(const CgroupDir &cpuJob, const CgroupDir &memoryJob,
                                    const CgroupLimits &limits, QString *error);

} // namespace LimitFiles

} // namespace Pitwall
