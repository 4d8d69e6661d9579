#include "vodrig.h"

#include "daemonprocess.h"
#include "httpclient.h"
#include "mediaserver.h"
#include "testdatabase.h"

#include "core/db/kvstore.h"
#include "vod/vodstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace VodRig {

QHash<QString, QString> environment(const TestDatabase &database, const MediaServer &media,
                                    const QStringList &channels,
                                    const QHash<QString, QString> &extra)
{
    QHash<QString, QString> env{
        {u"DATABASE_URL"_s, database.url()},
        {u"TWITCH_CHANNELS"_s, channels.join(u',')},
        {u"VOD_URL_TEMPLATE"_s, media.url(mediaPath(u"{id}"_s))},
        {u"VOD_PROCESS_INTERVAL"_s, u"1s"_s},
        {u"DOWNLOAD_USE_ARIA2C"_s, u"0"_s},
        {u"DOWNLOAD_BACKOFF_BASE"_s, u"100ms"_s},
        {u"UPLOAD_BACKOFF_BASE"_s, u"100ms"_s},
        {u"LOG_FORMAT"_s, u"json"_s},
    };
    env.insert(extra);
    return env;
}

bool start(DaemonProcess &daemon, const QHash<QString, QString> &environment)
{
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        daemon.setEnv(it.key(), it.value());
    if (daemon.start())
        return true;
    qWarning().noquote() << "daemon did not start:" << daemon.output();
    return false;
}

QString mediaPath(const QString &vodId)
{
    return u"/videos/%1.mp4"_s.arg(vodId);
}

bool seed(TestDatabase &database, const QString &channel, const QList<Pitwall::DiscoveredVod> &vods)
{
    Pitwall::StoreError error;
    const auto inserted = Pitwall::VodStore(database.database()).upsertDiscovered(channel, vods,
                                                                                 &error);
    if (!inserted || *inserted != vods.size()) {
        qWarning().noquote() << "seeding failed:" << error.message;
        return false;
    }
    return true;
}

Pitwall::VodRecord row(TestDatabase &database, const QString &twitchVodId)
{
    Pitwall::StoreError error;
    return Pitwall::VodStore(database.database()).get(twitchVodId, &error).value_or(
            Pitwall::VodRecord{});
}

QString kv(TestDatabase &database, const QString &channel, const QString &key)
{
    return Pitwall::KvStore(database.database().connection()).value(channel, key).value_or(QString());
}

namespace {

// The query after exec(), with `ok` telling whether it ran.
QSqlQuery run(TestDatabase &database, const QString &sql, const QVariantList &values, bool *ok)
{
    QSqlQuery query(database.database().connection());
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    *ok = query.exec();
    return query;
}

} // namespace

bool exec(TestDatabase &database, const QString &sql, const QVariantList &values)
{
    bool ok = false;
    const QSqlQuery query = run(database, sql, values, &ok);
    if (!ok)
        qWarning().noquote() << sql << ":" << query.lastError().text();
    return ok;
}

QString scalar(TestDatabase &database, const QString &sql, const QVariantList &values)
{
    bool ok = false;
    QSqlQuery query = run(database, sql, values, &ok);
    if (!ok || !query.next())
        return u"<error %1: %2>"_s.arg(sql, query.lastError().text());
    return query.value(0).toString();
}

QJsonObject channelStatus(const DaemonProcess &daemon, const QString &channel)
{
    const HttpReply reply = HttpClient::get(daemon.url(u"/status"_s));
    return reply.json().object().value(u"vod"_s).toObject().value(u"channels"_s).toObject()
            .value(channel).toObject();
}

QByteArray metrics(const DaemonProcess &daemon)
{
    return HttpClient::get(daemon.url(u"/metrics"_s)).body;
}

std::optional<double> metric(const QByteArray &text, const QString &name,
                             const QList<std::pair<QString, QString>> &labels)
{
    QStringList pairs;
    for (const auto &[key, value] : labels)
        pairs << u"%1=\"%2\""_s.arg(key, value);
    const QString series = pairs.isEmpty() ? name : name + u'{' + pairs.join(u',') + u'}';
    for (const QByteArray &line : text.split('\n')) {
        const QString sample = QString::fromUtf8(line);
        if (sample.startsWith(series + u' '))
            return sample.mid(series.size() + 1).toDouble();
    }
    return std::nullopt;
}

QList<qint64> ytDlpProcesses(const DaemonProcess &daemon, const QString &needle)
{
    // Other tests on the machine run yt-dlp too: only this daemon's count.
    const QByteArray dataDir = daemon.dataDir().toUtf8();
    QList<qint64> pids;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        QFile file(u"/proc/%1/cmdline"_s.arg(entry));
        if (!ok || !file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray cmdline = file.readAll();
        // yt-dlp is a Python script: the interpreter runs it.
        if (!cmdline.contains("yt-dlp") || !cmdline.contains(dataDir)
            || !cmdline.contains(needle.toUtf8()))
            continue;
        QFile status(u"/proc/%1/status"_s.arg(entry));
        static const QRegularExpression session(u"\\nNSsid:\\s*(\\d+)"_s);
        if (status.open(QIODevice::ReadOnly)
            && session.match(QString::fromLatin1(status.readAll())).captured(1) == entry)
            pids << pid;
    }
    return pids;
}

} // namespace VodRig

namespace VodRig {

bool processGroupAlive(qint64 group)
{
    static const QRegularExpression fields(u"\\nState:\\s*(\\S)[\\s\\S]*\\nNSpgid:\\s*(\\d+)"_s);
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        QFile status(u"/proc/%1/status"_s.arg(entry));
        if (!status.open(QIODevice::ReadOnly))
            continue;
        const QRegularExpressionMatch match = fields.match(QString::fromLatin1(status.readAll()));
        if (match.hasMatch() && match.captured(2).toLongLong() == group && match.captured(1) != u"Z")
            return true;
    }
    return false;
}

} // namespace VodRig
