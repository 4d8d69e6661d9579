#include "vod/vodjson.h"

#include "vod/nullablejson.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall::VodJson {

namespace {

QJsonValue timestamp(const QDateTime &time)
{
    return NullableJson::timestamp(time, NullableJson::Absent::Null);
}

QJsonValue text(const QString &value)
{
    return NullableJson::text(value, NullableJson::Absent::Null);
}

} // namespace

QJsonObject summary(const VodRecord &vod)
{
    return {{u"id"_s, vod.twitchVodId},
            {u"title"_s, vod.title},
            {u"date"_s, timestamp(vod.date)},
            {u"youtube_url"_s, text(vod.youtubeUrl)},
            {u"processed"_s, vod.processed},
            {u"channel"_s, vod.channel},
            {u"state"_s, toText(vod.state)},
            {u"priority"_s, vod.priority}};
}

QJsonObject detail(const VodRecord &vod)
{
    QJsonObject out = summary(vod);
    const QList<QPair<QString, QJsonValue>> fields{
        {u"progress_updated_at"_s, timestamp(vod.progressUpdatedAt)},
        {u"downloaded_path"_s, text(vod.downloadedPath)},
        {u"download_state"_s, text(vod.downloadState)},
        {u"description"_s, vod.description},
        {u"duration_seconds"_s, vod.durationSeconds},
        // The reference's single retry counter is the download one here.
        {u"download_retries"_s, vod.downloadAttempts},
        {u"download_attempts"_s, vod.downloadAttempts},
        {u"upload_attempts"_s, vod.uploadAttempts},
        {u"download_bytes"_s, vod.downloadBytes},
        {u"download_total"_s, vod.downloadTotal},
        {u"skip_upload"_s, vod.skipUpload},
        {u"next_attempt_at"_s, timestamp(vod.nextAttemptAt)},
        {u"uploaded_at"_s, timestamp(vod.uploadedAt)},
        {u"processing_error"_s, text(vod.processingError)},
        {u"created_at"_s, timestamp(vod.createdAt)},
        {u"updated_at"_s, timestamp(vod.updatedAt)},
    };
    for (const auto &[key, value] : fields)
        out.insert(key, value);
    return out;
}

double percent(const VodRecord &vod)
{
    if (vod.processed || vod.downloadComplete())
        return 100.0;
    if (vod.downloadTotal <= 0)
        return 0.0;
    return std::clamp(100.0 * double(vod.downloadBytes) / double(vod.downloadTotal), 0.0, 100.0);
}

QJsonObject progress(const VodRecord &vod)
{
    return {{u"vod_id"_s, vod.twitchVodId},
            {u"state"_s, text(vod.downloadState)},
            {u"vod_state"_s, toText(vod.state)},
            {u"percent"_s, percent(vod)},
            {u"retries"_s, vod.downloadAttempts},
            {u"bytes"_s, vod.downloadBytes},
            {u"total_bytes"_s, vod.downloadTotal},
            {u"downloaded_path"_s, text(vod.downloadedPath)},
            {u"processed"_s, vod.processed},
            {u"processing_error"_s, text(vod.processingError)},
            {u"youtube_url"_s, text(vod.youtubeUrl)},
            {u"progress_updated_at"_s, timestamp(vod.progressUpdatedAt)}};
}

} // namespace Pitwall::VodJson
