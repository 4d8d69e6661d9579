#include "vod/retentionsweeper.h"

#include "core/log/logcategories.h"
#include "vod/vodstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Every row of the channel, newest first: what both the count rule and the name filter need.
std::optional<QList<VodRecord>> channelRows(const Database &database, const QString &channel,
                                            StoreError *error)
{
    return VodStore(database).list({channel, 0, 0}, error);
}

} // namespace

RetentionSweeper::RetentionSweeper(const Database &database, const QString &channel,
                                   RetentionPolicy policy)
    : m_database(database)
    , m_channel(channel)
    , m_policy(policy)
{
}

std::optional<RetentionReport> RetentionSweeper::sweep(const QDateTime &now,
                                                       StoreError *error) const
{
    RetentionReport report;
    if (!m_policy.enabled())
        return report;
    const std::optional<QList<VodRecord>> rows = channelRows(m_database, m_channel, error);
    if (!rows)
        return std::nullopt;
    const QDateTime keepSince = now.addDays(-m_policy.keepDays);
    QList<VodRecord> candidates;
    for (qsizetype index = 0; index < rows->size(); ++index) {
        const VodRecord &vod = rows->at(index);
        const bool kept = index < m_policy.keepCount
                || (m_policy.keepDays > 0 && vod.date >= keepSince) || !isProcessed(vod.state);
        if (!kept && !vod.downloadedPath.isEmpty())
            candidates.append(vod);
    }
    std::reverse(candidates.begin(), candidates.end()); // oldest first
    const VodStore store(m_database);
    for (const VodRecord &vod : candidates) {
        const QString &path = vod.downloadedPath;
        report.files << path;
        const QFileInfo file(path);
        if (m_policy.dryRun) {
            qCInfo(lcVod).noquote() << "dry-run: would delete file" << path << "of VOD"
                                    << vod.twitchVodId << "channel" << m_channel;
            ++report.cleaned;
            report.bytesFreed += file.exists() ? file.size() : 0;
            continue;
        }
        if (!file.exists()) {
            ++report.missing;
        } else if (const qint64 size = file.size(); QFile::remove(path)) {
            qCInfo(lcVod).noquote() << "retention: deleted" << path << "of VOD"
                                    << vod.twitchVodId << "channel" << m_channel;
            ++report.cleaned;
            report.bytesFreed += size;
        } else {
            qCWarning(lcVod).noquote() << "retention: cannot delete" << path << "of VOD"
                                       << vod.twitchVodId;
            ++report.errors;
            continue;
        }
        StoreError clearError;
        if (!store.clearDownloadedPath(vod.id, path, &clearError)) {
            if (error)
                *error = clearError;
            return std::nullopt;
        }
    }
    qCInfo(lcVod).noquote() << "retention" << (m_policy.dryRun ? "(dry run)" : "") << "channel"
                            << m_channel << "cleaned" << report.cleaned << "missing"
                            << report.missing << "errors" << report.errors << "bytes_freed"
                            << report.bytesFreed;
    return report;
}

std::optional<TempCleanupReport> RetentionSweeper::cleanTempFiles(const QString &directory,
                                                                 const QDateTime &now,
                                                                 StoreError *error) const
{
    TempCleanupReport report;
    if (m_policy.tempMaxAge <= std::chrono::milliseconds::zero() || !QDir(directory).exists())
        return report;
    const std::optional<QList<VodRecord>> rows = channelRows(m_database, m_channel, error);
    if (!rows)
        return std::nullopt;
    QSet<QString> idle;
    for (const VodRecord &vod : *rows) {
        if (!isActive(vod.state))
            idle.insert(vod.twitchVodId);
    }
    const QDateTime staleBefore = now.addMSecs(-m_policy.tempMaxAge.count());
    const QFileInfoList files =
            QDir(directory).entryInfoList(QDir::Files | QDir::Hidden | QDir::NoSymLinks);
    for (const QFileInfo &file : files) {
        if (!isTempFile(file.fileName()) || !idle.contains(vodIdOfFile(file.fileName()))
            || file.lastModified() >= staleBefore) {
            continue;
        }
        const qint64 size = file.size();
        if (!QFile::remove(file.filePath())) {
            qCWarning(lcVod).noquote() << "temp cleanup: cannot delete" << file.filePath();
            ++report.errors;
            continue;
        }
        qCInfo(lcVod).noquote() << "temp cleanup: deleted" << file.filePath() << "channel"
                                << m_channel;
        ++report.removed;
        report.bytesFreed += size;
        report.files << file.filePath();
    }
    return report;
}

QString RetentionSweeper::vodIdOfFile(const QString &fileName)
{
    static const QString prefix = u"twitch_"_s;
    const qsizetype dot = fileName.indexOf(u'.', prefix.size());
    if (!fileName.startsWith(prefix) || dot <= prefix.size())
        return {};
    return fileName.mid(prefix.size(), dot - prefix.size());
}

bool RetentionSweeper::isTempFile(const QString &fileName)
{
    static const QRegularExpression temp(u"\\.(part|ytdl|tmp)$|\\.part-Frag\\d+$"_s);
    return temp.match(fileName).hasMatch();
}

} // namespace Pitwall
