#include "vod/vodsql.h"

#include "relay/storesql.h"

#include <QSqlQuery>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Pitwall {

QString VodSql::columns()
{
    return u"id, twitch_vod_id, channel, title, date, duration_seconds, state, priority, "
           "skip_upload, description, download_attempts, upload_attempts, next_attempt_at, "
           "download_state, download_bytes, download_total, progress_updated_at, "
           "downloaded_path, upload_session_uri, upload_offset, uploaded_at, youtube_url, "
           "processed, processing_error, lease_owner, lease_expires_at, created_at, "
           "updated_at"_s;
}

VodRecord VodSql::record(const QSqlQuery &query)
{
    int column = 0;
    const auto next = [&query, &column] { return query.value(column++); };
    VodRecord vod;
    vod.id = next().toLongLong();
    vod.twitchVodId = next().toString();
    vod.channel = next().toString();
    vod.title = next().toString();
    vod.date = StoreSql::timestamp(next());
    vod.durationSeconds = next().toLongLong();
    // The CHECK constraint admits nothing else.
    vod.state = vodStateFromText(next().toString()).value_or(VodState::Queued);
    vod.priority = next().toInt();
    vod.skipUpload = next().toBool();
    vod.description = next().toString();
    vod.downloadAttempts = next().toInt();
    vod.uploadAttempts = next().toInt();
    vod.nextAttemptAt = StoreSql::timestamp(next());
    vod.downloadState = next().toString();
    vod.downloadBytes = next().toLongLong();
    vod.downloadTotal = next().toLongLong();
    vod.progressUpdatedAt = StoreSql::timestamp(next());
    vod.downloadedPath = next().toString();
    vod.uploadSessionUri = next().toString();
    vod.uploadOffset = next().toLongLong();
    vod.uploadedAt = StoreSql::timestamp(next());
    vod.youtubeUrl = next().toString();
    vod.processed = next().toInt() != 0;
    vod.processingError = next().toString();
    vod.leaseOwner = next().toString();
    vod.leaseExpiresAt = StoreSql::timestamp(next());
    vod.createdAt = StoreSql::timestamp(next());
    vod.updatedAt = StoreSql::timestamp(next());
    return vod;
}

QVariant VodSql::timestamp(const QDateTime &time)
{
    if (!time.isValid())
        return QVariant(QMetaType(QMetaType::QString));
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QVariant VodSql::text(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

QString VodSql::stateList(const QList<VodState> &states)
{
    QStringList quoted;
    for (const VodState state : states)
        quoted << u"'%1'"_s.arg(toText(state));
    return quoted.join(u", "_s);
}

QString VodSql::stateList(bool (*predicate)(VodState))
{
    QList<VodState> states;
    for (const VodState state : allVodStates()) {
        if (predicate(state))
            states.append(state);
    }
    return stateList(states);
}

} // namespace Pitwall
