#pragma once

#include "jsoninteger.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Pitwall {

// Every field optional so per-command limits inherit field by field from default_limits.
// JSON (and YAML) keys: cpu_quota, cpu_weight, memory_limit, memory_high.
struct CgroupLimits
{
    static constexpr int MaxCpuQuotaPercent = 100000;
    static constexpr int MaxCpuWeight = 10000;
    static constexpr qint64 MaxMemoryMb = (qint64(1) << 40) / (qint64(1) << 20);  // 1 TiB

    // 200 = two cores; v2 cpu.max "200000 100000", v1 cfs_quota_us 200000 / cfs_period_us 100000
    std::optional<int> cpuQuotaPercent;
    // 1..10000; v2 cpu.weight; v1 cpu.shares = weight*1024/100 (100 -> 1024)
    std::optional<int> cpuWeight;
    // v2 memory.max, v1 memory.limit_in_bytes = MB*1048576
    std::optional<qint64> memoryLimitMb;
    // v2 memory.high only (v1: not written, reported as unsupported)
    std::optional<qint64> memoryHighMb;

    // This overrides defaults field by field.
    CgroupLimits mergedOver(const CgroupLimits &defaults) const;
    bool isEmpty() const;
    // Ranges: cpu_quota 1..100000 %, cpu_weight 1..10000, memory_limit/memory_high 1..1048576 MB.
    // The error names the key and the value.
    bool validate(QString *error) const;

    QJsonObject toJson() const;
    // Strict: unknown keys, non-integers and out-of-range values are refused; `problem` (when
    // given) tells a malformed object from an out-of-range value.
    static std::optional<CgroupLimits> fromJson(const QJsonObject &object, QString *error,
                                                JsonProblem *problem = nullptr);

    bool operator==(const CgroupLimits &) const = default;
};

} // namespace Pitwall
