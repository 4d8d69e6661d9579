#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Pitwall {

// GET /api/v1/streams/{id}/metrics plus conflict counters. lag = now - last canonical event;
// backlog = events of the current epoch past the slowest receiver cursor of that epoch (0 when
// no receiver has a cursor there).
struct StreamMetrics
{
    qint64 rawCount = 0;
    qint64 dedupCount = 0;
    qint64 retransmitCount = 0;
    qint64 conflictCount = 0;
    std::optional<qint64> lagMs;
    qint64 backlog = 0;
    qint64 streamEpoch = 1;
    std::optional<qint64> pendingEpoch;
    qint64 epochRawCount = 0;
    qint64 epochDedupCount = 0;
    qint64 epochRetransmitCount = 0;
    qint64 epochConflictCount = 0;
    std::optional<qint64> epochLagMs;
    QDateTime epochLastReceivedAt;
    qint64 uniqueChips = 0;
    std::optional<QString> lastTagId;
    std::optional<QString> lastReaderTimestamp;
};

} // namespace Pitwall
