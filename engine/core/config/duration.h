#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

// Durations are written the way the seeds' operators write them (Go syntax): "250ms", "30s",
// "5m", "6h", "1h30m". A bare "0" means zero. Anything else ("10x", "5", "-1s") is refused.
std::optional<std::chrono::milliseconds> parseDuration(QStringView text);

// Shortest exact rendering in the same syntax, e.g. 600000 ms -> "10m", 1500 ms -> "1500ms".
QString formatDuration(std::chrono::milliseconds duration);

} // namespace Pitwall
