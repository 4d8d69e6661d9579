#include "addengines.h"

#include "core/db/databasesupervisor.h"
#include "core/enginehost.h"
#include "relay/relayengine.h"
#include "vod/vodengine.h"
#include "watch/watchengine.h"

#include <memory>

namespace Pitwall {

void addEngines(EngineHost &host, const AppConfig &config,
                const std::optional<WatchConfig> &watchConfig, bool headless)
{
    RelaySettings relay;
    relay.pingInterval = config.relayPingInterval;
    relay.idleTimeout = config.relayIdleTimeout;
    relay.helloTimeout = config.relayIdleTimeout;
    relay.maxSendQueueBytes = config.relaySendQueueBytes;
    host.addEngine(std::make_unique<RelayEngine>(host.database(), host.router(), host.metrics(),
                                                 relay, config.dashboardDir));
    if (watchConfig) {
        host.addEngine(std::make_unique<WatchEngine>(
                *watchConfig, config.watchConfigFile, QProcessEnvironment::systemEnvironment(),
                config.dataDir, host.metrics()));
    }
    // Headless, the VOD queue runs for configured channels; the console may add them later.
    if (!config.vod.queue.channelList().isEmpty() || !headless) {
        const DatabaseSupervisor *supervisor = host.databaseSupervisor();
        const auto migrated = [supervisor] {
            const DatabaseStatus::State state = supervisor->status().state;
            return state == DatabaseStatus::State::Ready
                || state == DatabaseStatus::State::Unavailable;
        };
        auto vod = std::make_unique<VodEngine>(host.database(), host.router(), host.metrics(),
                                               config.vod, config.nodeId, migrated);
        host.addComponent(vod->circuitComponent());
        host.addEngine(std::move(vod));
    }
}

bool startEngines(EngineHost &host, const AppConfig &config,
                  const std::optional<WatchConfig> &watchConfig, bool headless, QString *error)
{
    // Nice 10 weighs a thread about a tenth of the GUI thread's nice 0. The GUI thread needs
    // about 1 % of a core, but while the relay ingests 5,000 reads/s on two busy cores it
    // waited up to 46 ms for one at equal priority (tests/bench/console.sh).
    constexpr int desktopWorkerNice = 10;
    if (!headless)
        host.setWorkerNice(desktopWorkerNice);
    return host.start(error, [&](EngineHost &started) {
        addEngines(started, config, watchConfig, headless);
    });
}

} // namespace Pitwall
