#pragma once

#include "vod/cycleretrypolicy.h"
#include "vod/vodconfig.h"
#include "vod/vodstore.h"

#include <QString>

namespace Pitwall {

class Database;
class DownloadSlots;
class OAuthRefresher;
class VodMetrics;

// What every channel pipeline and VOD job of the engine works with; owned by the VodEngine,
// everything on its thread (the store is thread-safe anyway).
struct VodContext
{
    const VodConfig &config;
    const Database &database;
    const VodStore store;
    DownloadSlots &downloadSlots;
    VodMetrics &metrics;
    // Null when uploads are not allowed (YOUTUBE_UPLOAD_ENABLED, ownership): no token is read.
    OAuthRefresher *refresher;
    // The lease owner of this process: node id and pid, unique among the daemons of a database.
    const QString owner;
    // Failed cycles across cycles: the reference's attempt ceilings, PROCESSING_RETRY_COOLDOWN
    // as the first wait.
    const CycleRetryPolicy downloadRetry;
    const CycleRetryPolicy uploadRetry;
};

} // namespace Pitwall
