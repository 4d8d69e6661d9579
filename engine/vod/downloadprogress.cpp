#include "vod/downloadprogress.h"

#include <algorithm>

namespace Pitwall {

namespace {

// Until yt-dlp says it is finished, the estimate may still be short of the real size.
constexpr double maxUnfinishedPercent = 99.9;

} // namespace

bool DownloadProgress::apply(const ProgressLine &line)
{
    if (line.status == ProgressLine::Status::Other || m_finished)
        return false;
    const qint64 bytes = m_bytes;
    const qint64 total = m_total;
    const double percent = m_percent;
    const int fragmentIndex = m_fragmentIndex;
    const bool finishing = line.status == ProgressLine::Status::Finished;

    if (line.totalBytes || line.totalBytesEstimate)
        m_total = line.totalBytes.value_or(*line.totalBytesEstimate);
    if (finishing) {
        // The finished line's count is the file's size, which is what is kept on disk.
        m_bytes = line.downloadedBytes.value_or(m_bytes);
        m_total = line.totalBytes.value_or(m_bytes);
        m_finished = true;
        m_percent = 100;
    } else {
        m_bytes = std::max(m_bytes, line.downloadedBytes.value_or(0));
        if (m_total > 0) {
            const double now = std::min(maxUnfinishedPercent, 100.0 * double(m_bytes) / double(m_total));
            m_percent = std::max(m_percent, now);
        }
    }
    if (line.fragmentCount)
        m_fragmentCount = *line.fragmentCount;
    if (line.fragmentIndex)
        m_fragmentIndex = std::max(m_fragmentIndex, *line.fragmentIndex);
    return finishing || bytes != m_bytes || total != m_total || percent != m_percent
           || fragmentIndex != m_fragmentIndex;
}

} // namespace Pitwall
