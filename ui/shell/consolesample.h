#pragma once

#include "shell/processusage.h"
#include "watch/trackedprocess.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>

#include <optional>

namespace Pitwall {

// One reading of what the console's charts and process panel show, taken off the GUI thread by
// ConsoleSampler. A value is missing while its engine does not run or has nothing to say yet.
struct ConsoleSample
{
    QDateTime at;
    std::optional<double> relayReadsPerSecond;
    std::optional<double> vodQueueDepth;
    // The VOD queue's moving averages in seconds, the mean over the channels that have one.
    std::optional<double> avgDownloadSeconds;
    std::optional<double> avgUploadSeconds;
    std::optional<double> avgTotalSeconds;
    bool watchRunning = false;
    QList<TrackedProcess> processes; // the watch engine's governed processes
    QHash<ProcessKey, ProcessUsage> usage;
    // Sums over the governed processes with a measurement.
    std::optional<double> governedCpuPercent;
    std::optional<double> governedResidentBytes;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::ConsoleSample)
