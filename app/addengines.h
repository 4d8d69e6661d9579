#pragma once

#include "watch/watchconfig.h"

#include <QString>

#include <optional>

namespace Pitwall {

class EngineHost;
struct AppConfig;

// The engines Pitwall runs, added to a starting host (EngineHost::start's callback): the relay
// always; the watch scanner when `watchConfig` is given; the VOD queue on the desktop, and
// headless only for configured channels. The app and the console benchmark share it, so the
// benchmark measures the engines the app runs.
void addEngines(EngineHost &host, const AppConfig &config,
                const std::optional<WatchConfig> &watchConfig, bool headless);

// EngineHost::start with those engines. On the desktop, every engine thread runs at a lower
// priority than the GUI thread (EngineHost::setWorkerNice), so the window stays responsive
// while ingest and downloads keep the cores busy. False with the reason, as start().
bool startEngines(EngineHost &host, const AppConfig &config,
                  const std::optional<WatchConfig> &watchConfig, bool headless, QString *error);

} // namespace Pitwall
