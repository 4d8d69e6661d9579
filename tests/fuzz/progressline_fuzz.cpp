// libFuzzer target for the yt-dlp progress-line parser, which reads whatever yt-dlp, aria2c or
// a YTDLP_ARGS option prints on stdout. The input is a stdout stream: each line goes through
// parseProgressLine and into one DownloadProgress. Besides crashes and sanitizer reports, it
// aborts when what the operator would see breaks its promises.
#include "vod/downloadprogress.h"
#include "vod/progressline.h"

#include <cstdint>
#include <cstdlib>

using namespace Pitwall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    DownloadProgress progress;
    qsizetype start = 0;
    while (start <= input.size()) {
        qsizetype end = start;
        while (end < input.size() && input.at(end) != '\n' && input.at(end) != '\r')
            ++end;
        const auto line = parseProgressLine(input.sliced(start, end - start));
        start = end + 1;
        if (!line)
            continue;
        // Byte counts are never negative.
        for (const auto &field : {line->downloadedBytes, line->totalBytes, line->totalBytesEstimate}) {
            if (field && *field < 0)
                std::abort();
        }
        const DownloadProgress before = progress;
        progress.apply(*line);
        // The percentage stays within 0..100 and never goes back; 100 means finished; the
        // byte count only grows until the finished line sets the file's size.
        if (progress.percent() < before.percent() || progress.percent() < 0
            || progress.percent() > 100 || (progress.percent() == 100) != progress.finished()
            || (!progress.finished() && progress.bytes() < before.bytes()))
            std::abort();
    }
    return 0;
}
