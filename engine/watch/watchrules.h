#pragma once

#include "watch/watchfilters.h"
#include "watch/watchsetting.h"

namespace Pitwall::WatchRules {

using Rule = std::optional<QString>;

// Command names end up in job ids and cgroup directory names (auto-<command>-<pid>).
Rule commandName(const QString &name);
Rule absolutePath(QString &out, const QString &value); // stores the cleaned path
Rule userName(QString &out, const QString &value);
Rule cgroupBase(QString &out, const QString &value);   // relative, no "..", no hidden parts

// The keys of `filters` and `commands.<name>.filters` (the same on both levels).
QList<Setting<WatchFilters>> filterSettings();

} // namespace Pitwall::WatchRules
