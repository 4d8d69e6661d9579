#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Pitwall {

// One progress report from yt-dlp's stdout: either a line of progressTemplate() or, when aria2c
// downloads, one of aria2c's readout lines ("[#658bf8 2.0MiB/8.0MiB(25%) CN:8 DL:2.0MiB ETA:2s]",
// sizes rounded to aria2c's precision). Fields yt-dlp prints as NA are absent.
struct ProgressLine
{
    enum class Status { Downloading, Finished, Other };

    Status status = Status::Other;
    std::optional<qint64> downloadedBytes;
    std::optional<qint64> totalBytes;
    std::optional<qint64> totalBytesEstimate;
    std::optional<int> fragmentIndex;
    std::optional<int> fragmentCount;

    bool operator==(const ProgressLine &) const = default;
};

// The --progress-template value (with its "download:" prefix) whose lines parseProgressLine reads.
QString progressTemplate();

// The report on one stdout line (without its line break; a leading '\r' or blanks are allowed);
// nothing when the line is not one, e.g. "[download] Destination: ...".
std::optional<ProgressLine> parseProgressLine(QByteArrayView line);

} // namespace Pitwall
