#pragma once

#include "vod/discoveredvod.h"
#include "vod/vodrecord.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

class DaemonProcess;
class MediaServer;
class TestDatabase;

// What the VOD engine tests share: a real `pitwall --daemon` on the test database with the
// local media server as Twitch's CDN, and ways to look at what it did (rows, kv, /status,
// /metrics, the yt-dlp processes it runs).
namespace VodRig {

// The daemon's environment for a VOD test: the test database, the channels, VOD_URL_TEMPLATE on
// the media server (/videos/<id>.mp4), one-second cycles, yt-dlp's own downloader, short
// backoffs; `extra` on top.
QHash<QString, QString> environment(const TestDatabase &database, const MediaServer &media,
                                    const QStringList &channels,
                                    const QHash<QString, QString> &extra = {});
bool start(DaemonProcess &daemon, const QHash<QString, QString> &environment);

// The media path VOD_URL_TEMPLATE gives a VOD id.
QString mediaPath(const QString &vodId);

// Inserts the VODs as discovery would (queued); false with a warning when that fails.
bool seed(TestDatabase &database, const QString &channel, const QList<Pitwall::DiscoveredVod> &vods);
Pitwall::VodRecord row(TestDatabase &database, const QString &twitchVodId);
QString kv(TestDatabase &database, const QString &channel, const QString &key);
// Runs SQL with bound values on the test database; false with a warning when it fails.
bool exec(TestDatabase &database, const QString &sql, const QVariantList &values = {});
// The first column of the first row as text, or "<error ...>".
QString scalar(TestDatabase &database, const QString &sql, const QVariantList &values = {});

// /status's vod.channels.<channel>, empty when absent.
QJsonObject channelStatus(const DaemonProcess &daemon, const QString &channel);
QByteArray metrics(const DaemonProcess &daemon);
// One sample of the exposition text, e.g. metric(text, "vod_queue_depth", {{"channel","a"}});
// std::nullopt when there is no such series.
std::optional<double> metric(const QByteArray &text, const QString &name,
                             const QList<std::pair<QString, QString>> &labels = {});
// Live yt-dlp downloads of this daemon (their output is in its data dir) whose command line
// contains `needle` (an output file name; empty: any): the session leaders, since each yt-dlp
// runs in a session of its own and its short-lived forks share the command line.
QList<qint64> ytDlpProcesses(const DaemonProcess &daemon, const QString &needle = {});
// Whether any process of that process group is still alive (zombies do not count).
bool processGroupAlive(qint64 group);

} // namespace VodRig
