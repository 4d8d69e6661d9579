#include "core/heaptrimmer.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Pitwall {

HeapTrimmer::HeapTrimmer(std::chrono::milliseconds interval, QObject *parent)
    : QObject(parent), m_timer(this)
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &HeapTrimmer::trim);
}

void HeapTrimmer::start()
{
#if defined(__GLIBC__)
    constexpr int startingThresholdBytes = 128 * 1024; // glibc's, for both
    mallopt(M_MMAP_THRESHOLD, startingThresholdBytes);
    mallopt(M_TRIM_THRESHOLD, startingThresholdBytes);
#endif
    m_timer.start();
}

bool HeapTrimmer::trim()
{
#if defined(__GLIBC__)
    return malloc_trim(0) == 1;
#else
    return false;
#endif
}

} // namespace Pitwall
