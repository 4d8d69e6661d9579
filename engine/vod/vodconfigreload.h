#pragma once

#include "core/config/appconfig.h"

#include <QStringList>

#include <optional>

namespace Pitwall {

class DatabaseSettings;

// What a reload (SIGHUP, File > Reload) changes in a running VOD queue. Live: the channel list
// and the queue's intervals, upload caps, retention and breaker thresholds, which the
// pipelines read again. Everything else is built once at start (the database, download slots,
// retry policies, the admin rate limiter, the Helix, chat and upload clients): a change there
// is named as needing a restart and not applied.
class VodConfigReload final
{
public:
    struct Result
    {
        QStringList applied;      // env names of what changed and now applies
        QStringList needsRestart; // env names of what changed but applies after a restart
        bool channelsChanged = false;
    };

    // Copies what applies live from `next` into `running`.
    static Result apply(VodConfig &running, const DatabaseSettings &runningDatabase,
                        const AppConfig &next);
    // Reads running.sources again (loadAppConfig) and applies it, logging what changed and
    // what waits for a restart; nullopt (logged) without sources or when the new one is refused.
    static std::optional<Result> reread(VodConfig &running,
                                        const DatabaseSettings &runningDatabase);
};

} // namespace Pitwall
