#pragma once

#include "relay/storeerror.h"
#include "vod/retentionpolicy.h"
#include "vod/retentionreport.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace Pitwall {

class Database;

// Frees disk space for one channel; it only ever touches that channel's rows and the files
// named after that channel's VODs, since DATA_DIR may be shared (research §10).
//
// sweep(): the kept set is the union of the VODs dated within keepDays, the keepCount newest
// and every unfinished one (state not done / done_no_upload). The files of all other rows are
// deleted oldest first and their downloaded_path set to NULL; a file already gone only clears
// the path. Rows, chat and YouTube URLs always stay. A dry run logs one
// "dry-run: would delete file" line per candidate and changes nothing.
//
// cleanTempFiles(): removes yt-dlp's leftovers (.part, .part-FragN, .ytdl, .tmp) untouched for
// longer than tempMaxAge whose names start with twitch_<id>. for one of the channel's VODs not
// being worked on (active rows resume from their .part file).
class RetentionSweeper final
{
public:
    RetentionSweeper(const Database &database, const QString &channel, RetentionPolicy policy);

    std::optional<RetentionReport> sweep(const QDateTime &now, StoreError *error) const;
    std::optional<TempCleanupReport> cleanTempFiles(const QString &directory,
                                                    const QDateTime &now,
                                                    StoreError *error) const;

    // The VOD id a media or temporary file belongs to, from yt-dlp's output name
    // twitch_<id>.<ext>[...] (YtDlpCommand's template); empty for other names.
    static QString vodIdOfFile(const QString &fileName);
    // Whether the name is one of yt-dlp's temporary files.
    static bool isTempFile(const QString &fileName);

private:
    const Database &m_database;
    const QString m_channel;
    const RetentionPolicy m_policy;
};

} // namespace Pitwall
