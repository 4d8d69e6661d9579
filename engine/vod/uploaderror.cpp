#include "vod/uploaderror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Google's error envelope: the first reason of error.errors[] (YouTube Data API v3), else of
// error.details[] (the newer form), and error.message.
struct GoogleError
{
    QString reason;
    QString message;
};

GoogleError parseGoogleError(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
    GoogleError parsed{{}, error.value(u"message"_s).toString()};
    for (const QString &list : {u"errors"_s, u"details"_s}) {
        for (const QJsonValue &item : error.value(list).toArray()) {
            parsed.reason = item.toObject().value(u"reason"_s).toString();
            if (!parsed.reason.isEmpty())
                return parsed;
        }
    }
    return parsed;
}

UploadError::Kind kindOf(int status, const QString &reason, bool onSession)
{
    using Kind = UploadError::Kind;
    static const QStringList quotaReasons{u"quotaExceeded"_s, u"dailyLimitExceeded"_s,
                                          u"uploadLimitExceeded"_s};
    static const QStringList throttleReasons{u"rateLimitExceeded"_s,
                                             u"userRateLimitExceeded"_s};
    static const QStringList metadataReasons{u"invalidTitle"_s, u"invalidDescription"_s,
                                             u"invalidTags"_s, u"invalidCategoryId"_s,
                                             u"invalidVideoMetadata"_s};
    if (status == 408 || status == 429 || status >= 500)
        return Kind::Transient;
    if (status == 401)
        return Kind::Auth;
    if (status == 403 && quotaReasons.contains(reason))
        return Kind::Quota;
    if (status == 403 && throttleReasons.contains(reason))
        return Kind::Transient;
    if (status == 400 && metadataReasons.contains(reason))
        return Kind::InvalidMetadata;
    if (onSession && (status == 404 || status == 410))
        return Kind::SessionExpired;
    return Kind::Rejected;
}

} // namespace

UploadError UploadError::fromResponse(int httpStatus, const QByteArray &body, bool onSession)
{
    const GoogleError google = parseGoogleError(body);
    QString message = u"HTTP %1"_s.arg(httpStatus);
    if (!google.reason.isEmpty())
        message += u" "_s + google.reason;
    // Google's message says what was wrong with the request; it never echoes credentials.
    if (!google.message.isEmpty())
        message += u": "_s + google.message.left(300);
    return {kindOf(httpStatus, google.reason, onSession), message, httpStatus, google.reason};
}

QString UploadError::className() const
{
    switch (kind) {
    case Kind::Transient:
        return u"transient"_s;
    case Kind::SessionExpired:
        return u"session-expired"_s;
    case Kind::Quota:
        return u"quota"_s;
    case Kind::InvalidMetadata:
        return u"invalid-metadata"_s;
    case Kind::Auth:
        return u"auth"_s;
    case Kind::Rejected:
        return u"rejected"_s;
    case Kind::File:
        return u"file"_s;
    case Kind::Protocol:
        return u"protocol"_s;
    }
    return u"transient"_s;
}

bool UploadError::isRetryable() const
{
    return kind == Kind::Transient || kind == Kind::SessionExpired || kind == Kind::Auth;
}

} // namespace Pitwall
