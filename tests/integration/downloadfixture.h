#pragma once

#include "mediaserver.h"
#include "vod/downloadsettings.h"

#include <QByteArray>
#include <QList>
#include <QSignalSpy>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

// What one download test works with: the media server and a data directory, and checks on the
// files and processes yt-dlp leaves.
class DownloadScene final
{
public:
    MediaServer &server() { return m_server; }
    QString dataDir() const { return m_data.path(); }

    // Real yt-dlp without aria2c (so the media server sees yt-dlp's own requests), media in
    // dataDir(), VOD_URL_TEMPLATE the server's `pathTemplate` (with {id}); yt-dlp's own retries
    // short (3, sleeping up to 2 s).
    Pitwall::DownloadSettings settings(const QString &pathTemplate) const;

    // The pids whose process group is `group`, from /proc.
    static QList<qint64> groupMembers(qint64 group);
    static QByteArray sha256(const QByteArray &bytes);
    static QByteArray fileSha256(const QString &path);

private:
    MediaServer m_server;
    QTemporaryDir m_data;
};

// Starts a DownloadJob or DownloadAttempts and waits up to `timeoutMs` for its finished().
template<typename Source>
void runToEnd(Source &source, int timeoutMs)
{
    QSignalSpy finished(&source, &Source::finished);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, timeoutMs);
}
