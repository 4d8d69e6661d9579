#pragma once

#include "vod/progressline.h"

#include <QMetaType>

namespace Pitwall {

// What the operator is shown of one yt-dlp invocation. With -N 10 every HLS worker thread reports
// its own byte count and the estimate moves, so the raw lines jump back and forth: the byte count
// kept is the largest seen, and the percentage never goes down. It reaches 100 only with yt-dlp's
// "finished" line, which carries the real file size.
class DownloadProgress final
{
public:
    // True when something shown changed.
    bool apply(const ProgressLine &line);

    qint64 bytes() const { return m_bytes; }
    // total_bytes, else the estimate; 0 while unknown.
    qint64 total() const { return m_total; }
    // 0..100.
    double percent() const { return m_percent; }
    bool finished() const { return m_finished; }
    // HLS fragments done and in all (0 for progressive downloads).
    int fragmentIndex() const { return m_fragmentIndex; }
    int fragmentCount() const { return m_fragmentCount; }

private:
    qint64 m_bytes = 0;
    qint64 m_total = 0;
    double m_percent = 0;
    bool m_finished = false;
    int m_fragmentIndex = 0;
    int m_fragmentCount = 0;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::DownloadProgress)
