#pragma once

#include <chrono>

namespace Pitwall {

// How failed download or upload cycles are retried across cycles (vods.next_attempt_at).
struct CycleRetryPolicy
{
    // Failed cycles of one stage (download_attempts or upload_attempts) before the VOD is
    // failed_terminal.
    int maxAttempts = 3;
    // The wait after the first failure (PROCESSING_RETRY_COOLDOWN); it doubles per failure.
    std::chrono::milliseconds baseDelay = std::chrono::minutes(10);
    // The wait never grows beyond this.
    std::chrono::milliseconds maxDelay = std::chrono::hours(6);

    // The wait after `attempts` failed cycles (>= 1): baseDelay * 2^(attempts-1), capped.
    std::chrono::milliseconds delayAfter(int attempts) const;
};

} // namespace Pitwall
