#pragma once

#include "vod/vodchanges.h"
#include "vod/vodstate.h"

#include <QString>

namespace Pitwall {

// A state change as the engine asks VodStore::transition() for it.
struct VodStateChange
{
    VodState from = VodState::Queued; // refused unless the row is in this state
    VodState to = VodState::Queued;   // refused unless VodTransitions allows from -> to
    QString reason;                   // the audit row's text
    // The worker making the change: refused unless it holds the row's lease, which is released
    // when `to` is not an active state. Empty for operator actions: no lease check, and a lease
    // stays until it runs out or its holder releases it.
    QString owner;
    VodChanges changes; // columns written together with the state
};

} // namespace Pitwall
