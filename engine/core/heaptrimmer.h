#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>

namespace Pitwall {

// Hands the heap's free pages back to the system at a fixed interval. After a burst (receivers
// that fell behind, a batch waiting out a lock) glibc keeps the freed memory mapped in the arena
// of the thread that used it, and over hours of ingest those retained pages, not live data, made
// the console's RSS climb: after 5 minutes at 5 000 reads/s its arenas held 54 MB for 20 MB in
// use (malloc_stats). malloc_trim(0) gives the free pages back; it takes each arena's lock in
// turn, so it runs on a worker thread. Where the C library is not glibc it does nothing.
//
// malloc_trim does not touch the free top of a thread's own arena: that shrinks only in free(),
// when the top exceeds the trim threshold, and glibc raises that threshold to twice the largest
// mmapped block freed so far. After one multi-megabyte block a worker's arena kept megabytes of
// freed top resident for good (malloc_info, 15 minutes at 5 000 reads/s: one arena of 16 MB,
// 15.6 MB of it free). start() therefore fixes both thresholds at glibc's starting values,
// which switches the raising off.
class HeapTrimmer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeapTrimmer)

public:
    static constexpr std::chrono::seconds DefaultInterval{10};

    explicit HeapTrimmer(std::chrono::milliseconds interval = DefaultInterval,
                         QObject *parent = nullptr);

    // Fixes the thresholds, then trims every interval; call it in the thread the trimmer lives in.
    void start();
    // One trim now, from any thread. True when memory went back to the system.
    static bool trim();

private:
    QTimer m_timer;
};

} // namespace Pitwall
