#pragma once

#include "vod/vodstate.h"

#include <QDateTime>
#include <QString>

namespace Pitwall {

// One audit row of vod_transitions: a state change of a VOD, who made it and why.
struct VodTransitionRecord
{
    qint64 id = 0;
    QString twitchVodId;
    QString channel;
    VodState from = VodState::Queued;
    VodState to = VodState::Queued;
    QString reason;
    // The lease owner for a worker's change, "operator" for API actions, "sql" when the schema's
    // trigger re-queued the row after a runbook UPDATE.
    QString actor;
    QDateTime changedAt;
};

} // namespace Pitwall
