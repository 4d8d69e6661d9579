#pragma once

#include "cgrouplimits.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// Process identity: a pid alone is reused by the kernel, the start time (clock ticks after
// boot, /proc/<pid>/stat field 22) tells the incarnations apart.
struct ProcessKey
{
    int pid = 0;
    quint64 startTimeTicks = 0;

    friend bool operator==(const ProcessKey &, const ProcessKey &) = default;
};

size_t qHash(const ProcessKey &key, size_t seed = 0) noexcept;

// One governed process as the state file records it (the guide's keys, plus identity, the
// cgroups it was moved into and the limits read back from them).
struct TrackedProcess
{
    int pid = 0;
    quint64 startTimeTicks = 0; // 0 = unknown: an entry written by the old daemon
    QString command;            // basename of the executable, e.g. "ffmpeg"
    QString jobId;              // "auto-<command>-<pid>"
    QDateTime discoveredAt;
    QDateTime attachedAt;       // invalid until the cgroup move succeeded
    QDateTime lastSeenAt;       // refreshed by every scan that still sees the process
    QStringList cgroupPaths;    // one per hierarchy (v1: cpu and memory; v2: one)
    CgroupLimits limitsApplied;
    QString exePath;
    uint uid = 0;
    int ppid = 0;

    ProcessKey key() const { return {pid, startTimeTicks}; }

    // Keys: pid, start_time, command, job_id, discovered_at, attached_at, last_seen_at,
    // cgroup_paths, limits_applied, exe_path, uid, ppid. Unset times are written as null.
    QJsonObject toJson() const;
    // `context` prefixes the key path in error messages, e.g. "processes.123". Only `pid` is
    // required: the guide's and the old daemon's entries carry a subset of the keys, and the
    // missing ones stay 0/empty (re-read from /proc when such a process is re-adopted).
    static std::optional<TrackedProcess> fromJson(const QJsonObject &object,
                                                  const QString &context, QString *error);

    friend bool operator==(const TrackedProcess &, const TrackedProcess &) = default;
};

} // namespace Pitwall
