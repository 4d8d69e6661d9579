#pragma once

#include "vod/downloadfailure.h"

#include <QStringList>

namespace Pitwall {

// Turns a failed yt-dlp run into a DownloadFailure. Only yt-dlp's final "ERROR:" line on stderr
// is read, never the whole output: a VOD id or byte count such as "5003" elsewhere in the output
// must not turn a 404 into a 5xx. The status comes from "HTTP Error NNN" on that line; then a
// short allow-list decides:
//   404, 410                                   -> NotFound (terminal)
//   401, 403 or no status, with "subscriber",
//   "must be logged into" or "login required"  -> AuthRequired "auth-required: subscriber-only"
//   anything else (5xx, 429, network, unknown) -> Retryable
class DownloadErrorClassifier final
{
public:
    // `stderrLines` oldest first, already redacted; `exitCode` as yt-dlp exited.
    static DownloadFailure classify(const QStringList &stderrLines, int exitCode);

    // The last line starting with "ERROR:", empty when there is none.
    static QString finalErrorLine(const QStringList &stderrLines);

    // "yt-dlp exited with code N", then the lines: DownloadFailure::detail.
    static QString detail(const QString &exitStatus, const QStringList &stderrLines);
};

} // namespace Pitwall
