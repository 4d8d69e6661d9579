#include "vod/vodchanges.h"

#include "vod/vodsql.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

VodChanges &VodChanges::processingError(const QString &text)
{
    return set(u"processing_error"_s, VodSql::text(text));
}

VodChanges &VodChanges::nextAttemptAt(const QDateTime &at)
{
    return set(u"next_attempt_at"_s, VodSql::timestamp(at));
}

VodChanges &VodChanges::downloadState(const QString &state)
{
    return set(u"download_state"_s, VodSql::text(state));
}

VodChanges &VodChanges::downloadProgress(qint64 bytes, qint64 total)
{
    set(u"download_bytes"_s, bytes);
    return set(u"download_total"_s, total);
}

VodChanges &VodChanges::downloadedPath(const QString &path)
{
    return set(u"downloaded_path"_s, VodSql::text(path));
}

VodChanges &VodChanges::uploadSession(const QString &uri, qint64 offset)
{
    set(u"upload_session_uri"_s, VodSql::text(uri));
    return set(u"upload_offset"_s, offset);
}

VodChanges &VodChanges::youtubeUrl(const QString &url)
{
    return set(u"youtube_url"_s, VodSql::text(url));
}

VodChanges &VodChanges::uploadedAt(const QDateTime &at)
{
    return set(u"uploaded_at"_s, VodSql::timestamp(at));
}

VodChanges &VodChanges::set(const QString &column, const QVariant &value)
{
    for (Assignment &assignment : m_assignments) {
        if (assignment.column == column) {
            assignment.value = value;
            return *this;
        }
    }
    m_assignments.append({column, value});
    return *this;
}

} // namespace Pitwall
