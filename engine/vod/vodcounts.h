#pragma once

#include "vod/vodstate.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

namespace Pitwall {

// One channel's queue in numbers, as /status, /admin/monitor and vod_queue_depth show it.
struct VodCounts
{
    QMap<VodState, qint64> byState; // states with at least one row
    qint64 pending = 0;   // isPending(): queued, working, failed_retry, throttled
    qint64 errored = 0;   // failed_retry or failed_terminal
    qint64 processed = 0; // done or done_no_upload
    QList<QPair<int, qint64>> pendingByPriority; // (priority, pending rows), highest first
    QString oldestPendingId; // empty when nothing is pending
    QDateTime oldestPendingDate;

    qint64 count(VodState state) const { return byState.value(state, 0); }
};

} // namespace Pitwall
