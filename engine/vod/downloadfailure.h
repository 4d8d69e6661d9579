#pragma once

#include <QString>

namespace Pitwall {

// Why one yt-dlp invocation did not produce the file.
struct DownloadFailure
{
    enum class Kind {
        Retryable,    // 5xx, 429, network, stalled, crashed, unknown: worth another attempt
        NotFound,     // 404/410: the VOD is gone
        AuthRequired, // subscriber-only or login required: no cookies are ever passed
        Invalid,      // the VOD id or channel cannot name a file
    };

    Kind kind = Kind::Retryable;
    // One line for processing_error and logs, e.g. "auth-required: subscriber-only".
    QString reason;
    // The exit status and yt-dlp's last stderr lines, secrets redacted.
    QString detail;

    bool terminal() const { return kind != Kind::Retryable; }
    // "retryable", "not-found", "auth-required" or "invalid".
    QString kindName() const;
};

} // namespace Pitwall
