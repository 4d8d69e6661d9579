#pragma once

#include "cgrouplimits.h"
#include "watch/watchfilters.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QStringList>

#include <chrono>
#include <optional>

namespace Pitwall {

// Per-command overrides (`commands.<name>`): limits inherit field by field from default_limits,
// filters apply in addition to the global ones.
struct WatchCommand
{
    CgroupLimits limits;
    WatchFilters filters;

    bool operator==(const WatchCommand &) const = default;
};

// The watch scanner's settings: the guide's watch-config.yaml keys plus Pitwall's own
// (state_path, state_flush_interval, max_retry_attempts, proc_root, cgroup_root, cgroup_base).
// Precedence: defaults < YAML < environment (SCAN_INTERVAL, TARGET_COMMANDS,
// STATE_FLUSH_INTERVAL, MAX_RETRY_ATTEMPTS, STATE_PATH).
struct WatchConfig
{
    static constexpr int DefaultCpuWeight = 100;

    std::chrono::milliseconds scanInterval = std::chrono::seconds(10);
    QStringList targetCommands{QStringLiteral("ffmpeg"), QStringLiteral("gst-launch-1.0")};
    CgroupLimits defaultLimits;       // cpuWeight is DefaultCpuWeight when the file sets none
    WatchFilters filters;
    QMap<QString, WatchCommand> commands;

    QString statePath;                // default <data dir>/watch-state.json
    std::chrono::milliseconds stateFlushInterval = std::chrono::seconds(30);
    int maxRetryAttempts = 5;
    QString procRoot = QStringLiteral("/proc");
    QString cgroupRoot;               // empty: detect from /proc/self/mountinfo
    QString cgroupBase = QStringLiteral("pitwall"); // relative to each hierarchy's root

    // Strict: an unknown key anywhere, a malformed duration or an out-of-range number refuses
    // the whole configuration; `error` then names the key, the value, the rule and the line,
    // e.g. `filters.blocked_dir: unknown key (watch-config.yaml line 7)`.
    static std::optional<WatchConfig> load(const QString &yamlFile, const QProcessEnvironment &env,
                                           const QString &dataDir, QString *error);

    // default_limits overridden by commands.<command>.limits where that sets a field.
    CgroupLimits effectiveLimits(const QString &command) const;
    // commands.<command>.filters, or nullptr when the command has none.
    const WatchFilters *commandFilters(const QString &command) const;

    bool operator==(const WatchConfig &) const = default;
};

} // namespace Pitwall
