#pragma once

#include <QStringView>

#include <optional>

namespace Pitwall {

// Helix's video duration ("3h15m42s", "1h2m3s", "12m", "45s") in seconds: hours, minutes and
// seconds in that order, each optional but at least one, digits only. std::nullopt for
// anything else (empty text, unknown or repeated units, signs, fractions, spaces).
std::optional<qint64> parseTwitchDuration(QStringView text);

} // namespace Pitwall
