#pragma once

#include <chrono>

namespace Pitwall {

// What the retention sweep keeps (research §1.6) and how old stale temporary files may get.
struct RetentionPolicy
{
    int keepDays = 0;    // RETENTION_KEEP_DAYS: files of VODs dated within this many days stay
    int keepCount = 0;   // RETENTION_KEEP_COUNT: files of the channel's newest VODs stay
    bool dryRun = false; // RETENTION_DRY_RUN: log what would be deleted, change nothing
    // DATA_CLEANUP_MAX_AGE: .part/.tmp files of the channel's VODs untouched for longer are
    // removed; 0 disables it.
    std::chrono::milliseconds tempMaxAge = std::chrono::milliseconds::zero();

    // With both 0 there is no retention sweep at all.
    bool enabled() const { return keepDays > 0 || keepCount > 0; }
};

} // namespace Pitwall
