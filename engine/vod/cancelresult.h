#pragma once

#include "vod/vodrecord.h"

namespace Pitwall {

// What VodStore::cancel() did.
struct CancelResult
{
    VodRecord vod;             // the row afterwards
    VodState previous = VodState::Queued;
    // False when there was nothing to cancel: already canceled, or finished.
    bool changed = false;
    // A worker was on it (previous was active): its job must be stopped. A worker on another
    // node notices when its lease renewal fails.
    bool wasRunning() const { return changed && isActive(previous); }
};

} // namespace Pitwall
