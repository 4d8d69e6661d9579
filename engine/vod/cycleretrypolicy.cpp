#include "vod/cycleretrypolicy.h"

#include <algorithm>

namespace Pitwall {

std::chrono::milliseconds CycleRetryPolicy::delayAfter(int attempts) const
{
    std::chrono::milliseconds delay = baseDelay;
    // Doubling stops at the cap, so a large attempt count cannot overflow.
    for (int n = 1; n < attempts && delay < maxDelay; ++n)
        delay *= 2;
    return std::min(delay, std::max(maxDelay, baseDelay));
}

} // namespace Pitwall
