#pragma once

#include <QByteArray>
#include <QString>

namespace Pitwall {

// Why a ResumableUpload failed, and what the caller does next.
struct UploadError
{
    enum class Kind {
        Transient,       // "transient": 5xx, 429 or network errors outlasted the attempts; the
                         // session (if any) is still good, resume it in a later cycle
        SessionExpired,  // "session-expired": 404/410 on the session URI; start a new session
        Quota,           // "quota": 403 quotaExceeded/dailyLimitExceeded/uploadLimitExceeded;
                         // not retried until the quota resets
        InvalidMetadata, // "invalid-metadata": 400 invalidTitle/invalidDescription/...; never
                         // retried with the same metadata
        Auth,            // "auth": 401; refresh the token, then resume the session
        Rejected,        // "rejected": any other 4xx (403 forbidden, ...); not retried
        File,            // "file": the media file cannot be read, is empty or changed size
        Protocol,        // "protocol": an answer the protocol does not allow (no Location, no
                         // video id, a Range beyond the file)
    };

    Kind kind = Kind::Transient;
    QString message;     // plain English for logs and processing_error; never a secret
    int httpStatus = 0;  // 0 when there was no HTTP answer
    QString reason;      // Google's error reason ("quotaExceeded"), when it sent one

    // The error an HTTP answer means: body is Google's {"error":{"errors":[{"reason":...}]}}.
    // onSession: the request went to a session URI, where 404/410 mean the session is gone.
    static UploadError fromResponse(int httpStatus, const QByteArray &body, bool onSession);

    // The kind as text: "transient", "session-expired", "quota", ...
    QString className() const;
    // Whether a later attempt with the same metadata may succeed.
    bool isRetryable() const;
};

} // namespace Pitwall
