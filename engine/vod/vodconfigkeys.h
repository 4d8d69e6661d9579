#pragma once

#include "core/config/configerror.h"
#include "core/config/configkey.h"
#include "core/config/configloader.h"

#include <optional>

namespace Pitwall {

// The VOD queue's keys (research §4 and issue 5), YAML under "vod.", plus ADMIN_USERNAME and
// ADMIN_PASSWORD next to admin_token. Strict like the core's: a malformed or out-of-range value
// refuses to start, naming key, value (masked when secret) and rule.
QList<ConfigKey> vodConfigKeys();

// Rules that span keys, checked once everything is loaded: credentials that come in pairs.
// Also fills in what defaults to a place in the data dir (DATA_DIR: <data_dir>/vods).
std::optional<ConfigError> finishVodConfig(AppConfig &config);

// The configuration the app runs with: defaults < YAML < environment < command line, the core's
// and the VOD's keys, finished by finishVodConfig(); vod.sources keeps `sources` for reload.
// Nullopt with *error when something is refused.
std::optional<AppConfig> loadAppConfig(const ConfigSources &sources, ConfigError *error);

} // namespace Pitwall
