#include "downloadfixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

Pitwall::DownloadSettings DownloadScene::settings(const QString &pathTemplate) const
{
    Pitwall::DownloadSettings settings;
    settings.dataDir = m_data.path();
    settings.urlTemplate = m_server.url(pathTemplate);
    // Resolved here, so a test may hand yt-dlp a PATH without ffmpeg.
    settings.ytDlpProgram = QStandardPaths::findExecutable(u"yt-dlp"_s);
    settings.aria2c = Pitwall::DownloadSettings::Aria2c::Never;
    settings.retrySleepMaxSeconds = 2;
    settings.ytDlpRetries = 3;
    return settings;
}

QList<qint64> DownloadScene::groupMembers(qint64 group)
{
    QList<qint64> members;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        QFile stat(u"/proc/%1/stat"_s.arg(entry));
        if (!numeric || !stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 2 && fields[2].toLongLong() == group)
            members.append(pid);
    }
    return members;
}

QByteArray DownloadScene::sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray DownloadScene::fileSha256(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return {};
    return hash.result().toHex();
}
