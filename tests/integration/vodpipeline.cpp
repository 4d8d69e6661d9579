#include "core/db/migrationrunner.h"
#include "vod/vodstore.h"

#include "daemonprocess.h"
#include "httpclient.h"
#include "mediaserver.h"
#include "testdatabase.h"
#include "tmistandin.h"
#include "vodrig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <algorithm>
#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString adminToken = u"pipeline-admin-token"_s;

QDateTime day(int i)
{
    return QDateTime(QDate(2024, 5, 1).addDays(i), QTime(18, 0), Qt::UTC);
}

HttpReply adminPost(const DaemonProcess &daemon, const QString &path)
{
    return HttpClient::request("POST", daemon.url(path), {{"X-Admin-Token", adminToken.toUtf8()}});
}

QString mediaFile(const DaemonProcess &daemon, const QString &channel, const QString &vodId)
{
    return QDir(daemon.dataDir()).filePath(u"vods/%1/twitch_%2.mp4"_s.arg(channel, vodId));
}

// The first request of each VOD's media path, in the order they arrived.
QStringList firstRequestOrder(const MediaServer &media, const QStringList &ids)
{
    QList<std::pair<double, QString>> firsts;
    for (const QString &id : ids) {
        const QList<MediaRequest> requests = media.requests(VodRig::mediaPath(id));
        if (!requests.isEmpty())
            firsts.append({requests.first().time, id});
    }
    std::sort(firsts.begin(), firsts.end());
    QStringList order;
    for (const auto &[time, id] : firsts)
        order << id;
    return order;
}

} // namespace

// The VOD engine end to end in a real daemon: real yt-dlp against the local media server, the
// queue in the dialect under test. Scenarios 8 and 11 of the research, and the isolation of
// channels.
class VodPipelineTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void queueOrder();
    void slotsAcrossChannels();
    void parallelWithinOneChannel();
    void cancelOverHttp();
    void channelsAreIsolated();
    void sigtermHandsTheRowBack();
    void chatIsRecordedPerChannel();

private:
    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<MediaServer> m_media;
    std::unique_ptr<DaemonProcess> m_daemon;
};

void VodPipelineTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_media = std::make_unique<MediaServer>();
    m_daemon = std::make_unique<DaemonProcess>();
}

void VodPipelineTest::cleanup()
{
    if (m_daemon && m_daemon->isRunning())
        QCOMPARE(m_daemon->stop(SIGTERM), 0);
    m_daemon.reset();
    m_media.reset();
    m_testDb.reset();
}

// Scenario 11: priority DESC, then the oldest first; one slot, one download at a time.
void VodPipelineTest::queueOrder()
{
    const QList<std::tuple<QString, int, int>> vods{
        {u"d1"_s, 0, 1}, {u"d2"_s, 0, 2}, {u"d5"_s, 10, 5}, {u"d0"_s, -1, 0}, {u"d4"_s, 10, 4}};
    QStringList ids;
    for (const auto &[id, priority, date] : vods) {
        QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{id, u"VOD "_s + id, day(date), 60}}));
        m_media->addFile(VodRig::mediaPath(id), MediaServer::content(256 * 1024, quint32(date)));
        ids << id;
    }
    for (const auto &[id, priority, date] : vods) {
        StoreError error;
        QVERIFY(VodStore(m_testDb->database()).setPriority(id, priority, &error));
    }
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(*m_testDb, *m_media, {u"alice"_s})));

    for (const QString &id : ids)
        QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, id).state, VodState::DoneNoUpload, 30000);
    QCOMPARE(firstRequestOrder(*m_media, ids),
             (QStringList{u"d4"_s, u"d5"_s, u"d1"_s, u"d2"_s, u"d0"_s}));
    for (const QString &id : ids) {
        const VodRecord vod = VodRig::row(*m_testDb, id);
        QCOMPARE(vod.downloadState, u"complete"_s);
        QCOMPARE(vod.downloadBytes, 256 * 1024);
        QCOMPARE(QFileInfo(mediaFile(*m_daemon, u"alice"_s, id)).size(), 256 * 1024);
        QVERIFY(vod.processed);
    }
    // Each event counted once.
    const QByteArray metrics = VodRig::metrics(*m_daemon);
    const QList<std::pair<QString, QString>> alice{{u"channel"_s, u"alice"_s}};
    QCOMPARE(VodRig::metric(metrics, u"vod_downloads_started_total"_s, alice), 5.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_downloads_succeeded_total"_s, alice), 5.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_downloads_failed_total"_s, alice), 0.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_processing_cycles_total"_s, alice), 5.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_download_duration_seconds_count"_s, alice), 5.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_queue_depth"_s, alice), 0.0);
    QVERIFY(!VodRig::kv(*m_testDb, u"alice"_s, u"avg_download_ms"_s).isEmpty());
    QVERIFY(!VodRig::kv(*m_testDb, u"alice"_s, u"avg_total_ms"_s).isEmpty());

    // The runbook's JSON log fields: one correlation id per VOD, through download and finish.
    QHash<QString, QString> downloadCorr;
    QHash<QString, QString> processCorr;
    for (const QByteArray &line : m_daemon->output().split('\n')) {
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        const QString vod = entry.value(u"vod_id"_s).toString();
        const QString corr = entry.value(u"corr"_s).toString();
        if (entry.value(u"component"_s) == u"vod_download"_s && entry.contains(u"dl_ms"_s))
            downloadCorr.insert(vod, corr);
        if (entry.value(u"component"_s) == u"vod_process"_s && entry.contains(u"total_ms"_s))
            processCorr.insert(vod, corr);
    }
    for (const QString &id : ids) {
        QVERIFY2(!downloadCorr.value(id).isEmpty(), qPrintable(id));
        QCOMPARE(processCorr.value(id), downloadCorr.value(id));
    }
}

// Scenario 11, second half: MAX_CONCURRENT_DOWNLOADS=2 shared by two channels.
void VodPipelineTest::slotsAcrossChannels()
{
    QStringList ids;
    for (const QString &channel : {u"alice"_s, u"bob"_s}) {
        for (int i = 0; i < 3; ++i) {
            const QString id = channel.left(1) + QString::number(i);
            QVERIFY(VodRig::seed(*m_testDb, channel, {{id, id, day(i), 60}}));
            m_media->addFile(VodRig::mediaPath(id), MediaServer::content(1024 * 1024, quint32(i)),
                             768 * 1024);
            ids << id;
        }
    }
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(*m_testDb, *m_media,
                                                         {u"alice"_s, u"bob"_s},
                                                         {{u"MAX_CONCURRENT_DOWNLOADS"_s, u"2"_s}})));
    int most = 0;
    int mostProcesses = 0;
    QElapsedTimer clock;
    clock.start();
    const auto done = [&] {
        return std::all_of(ids.cbegin(), ids.cend(), [&](const QString &id) {
            return VodRig::row(*m_testDb, id).processed;
        });
    };
    while (!done() && clock.elapsed() < 40000) {
        const HttpReply status = HttpClient::get(m_daemon->url(u"/status"_s));
        const int active = status.json().object().value(u"vod"_s).toObject()
                                   .value(u"active_downloads"_s).toInt();
        const int processes = int(VodRig::ytDlpProcesses(*m_daemon).size());
        QVERIFY2(active <= 2, qPrintable(QString::number(active)));
        QVERIFY2(processes <= 2, qPrintable(QString::number(processes)));
        most = std::max(most, active);
        mostProcesses = std::max(mostProcesses, processes);
        QTest::qWait(100);
    }
    QVERIFY(done());
    QCOMPARE(most, 2);
    QCOMPARE(mostProcesses, 2);
}

// MAX_CONCURRENT_DOWNLOADS is real parallelism inside one channel too.
void VodPipelineTest::parallelWithinOneChannel()
{
    for (const QString &id : {u"p1"_s, u"p2"_s}) {
        QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{id, id, day(1), 60}}));
        m_media->addFile(VodRig::mediaPath(id), MediaServer::content(2 * 1024 * 1024, 7), 512 * 1024);
    }
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(*m_testDb, *m_media, {u"alice"_s},
                                                         {{u"MAX_CONCURRENT_DOWNLOADS"_s, u"2"_s}})));
    QTRY_COMPARE_WITH_TIMEOUT(
            VodRig::channelStatus(*m_daemon, u"alice"_s).value(u"active_downloads"_s).toInt(), 2,
            10000);
    QCOMPARE(VodRig::ytDlpProcesses(*m_daemon, u"twitch_p"_s).size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(VodRig::row(*m_testDb, u"p1"_s).processed
                                     && VodRig::row(*m_testDb, u"p2"_s).processed, 20000);
}

// Scenario 8: cancel is its own outcome, running or queued; nothing restarts it.
void VodPipelineTest::cancelOverHttp()
{
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"c1"_s, u"Long"_s, day(1), 600},
                                                 {u"c2"_s, u"Queued"_s, day(2), 600}}));
    m_media->addFile(VodRig::mediaPath(u"c1"_s), MediaServer::content(16 * 1024 * 1024, 3),
                     256 * 1024);
    m_media->addFile(VodRig::mediaPath(u"c2"_s), MediaServer::content(1024, 4));
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(*m_testDb, *m_media, {u"alice"_s},
                                                         {{u"ADMIN_TOKEN"_s, adminToken},
                                                          {u"CIRCUIT_FAILURE_THRESHOLD"_s, u"3"_s}})));
    // Progress as the API shows it: rising, never back.
    double last = -1;
    int distinct = 0;
    QElapsedTimer clock;
    clock.start();
    // At least three distinct values, which takes a few of the one-second progress writes.
    while (clock.elapsed() < 10000 && distinct < 3) {
        const double percent = HttpClient::get(m_daemon->url(u"/vods/c1/progress"_s)).json()
                                       .object().value(u"percent"_s).toDouble();
        QVERIFY2(percent >= last, qPrintable(u"%1 after %2"_s.arg(percent).arg(last)));
        distinct += percent > last ? 1 : 0;
        last = percent;
        QTest::qWait(250);
    }
    QVERIFY2(distinct >= 3 && last > 0 && last < 100, qPrintable(QString::number(distinct)));
    const QList<qint64> running = VodRig::ytDlpProcesses(*m_daemon, u"twitch_c1"_s);
    QCOMPARE(running.size(), 1);

    // The queued one first: it is dequeued without ever being fetched.
    QCOMPARE(adminPost(*m_daemon, u"/vods/c2/cancel"_s).status, 202);
    QCOMPARE(adminPost(*m_daemon, u"/vods/c1/cancel"_s).status, 202);
    QCOMPARE(adminPost(*m_daemon, u"/vods/c1/cancel"_s).status, 204);
    // Within 2 s nothing of yt-dlp's process group is left.
    QTRY_VERIFY_WITH_TIMEOUT(!VodRig::processGroupAlive(running.first()), 2000);
    const int requests = int(m_media->requests(VodRig::mediaPath(u"c1"_s)).size());
    QTest::qWait(2500); // more than two cycles
    QVERIFY(VodRig::ytDlpProcesses(*m_daemon).isEmpty());
    QCOMPARE(m_media->requests(VodRig::mediaPath(u"c1"_s)).size(), requests);
    QVERIFY(m_media->requests(VodRig::mediaPath(u"c2"_s)).isEmpty());

    for (const QString &id : {u"c1"_s, u"c2"_s}) {
        const VodRecord vod = VodRig::row(*m_testDb, id);
        QCOMPARE(vod.state, VodState::Canceled);
        QCOMPARE(vod.downloadAttempts, 0);
        QVERIFY(vod.processingError.isEmpty());
        QVERIFY(vod.leaseOwner.isEmpty() || !vod.leaseExpiresAt.isValid()
                || vod.leaseExpiresAt <= QDateTime::currentDateTimeUtc().addSecs(120));
    }
    QCOMPARE(VodRig::row(*m_testDb, u"c1"_s).downloadState, u"canceled"_s);
    const QString failures = VodRig::kv(*m_testDb, u"alice"_s, u"circuit_failures"_s);
    QVERIFY2(failures.isEmpty() || failures == u"0"_s, qPrintable(failures));
    // The .part file stays, so the next run resumes it.
    const QFileInfo part(mediaFile(*m_daemon, u"alice"_s, u"c1"_s) + u".part"_s);
    QVERIFY(part.exists());
    QVERIFY(part.size() > 0);
    const QByteArray metrics = VodRig::metrics(*m_daemon);
    QCOMPARE(VodRig::metric(metrics, u"vod_downloads_failed_total"_s, {{u"channel"_s, u"alice"_s}}),
             0.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_active_downloads"_s, {{u"channel"_s, u"alice"_s}}), 0.0);
}

// Two channels on one daemon and one DATA_DIR: rows, files, kv and metrics stay apart.
void VodPipelineTest::channelsAreIsolated()
{
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"i1"_s, u"Alice's"_s, day(1), 60}}));
    QVERIFY(VodRig::seed(*m_testDb, u"bob"_s, {{u"j1"_s, u"Bob's"_s, day(1), 60}}));
    m_media->addFile(VodRig::mediaPath(u"i1"_s), MediaServer::content(128 * 1024, 9));
    m_media->addStatus(VodRig::mediaPath(u"j1"_s), 404);
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(*m_testDb, *m_media,
                                                         {u"alice"_s, u"bob"_s},
                                                         {{u"CIRCUIT_FAILURE_THRESHOLD"_s, u"3"_s}})));
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"i1"_s).state, VodState::DoneNoUpload, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"j1"_s).state, VodState::FailedTerminal, 20000);
    QVERIFY(VodRig::row(*m_testDb, u"j1"_s).processingError.contains(u"not-found"_s)
            || VodRig::row(*m_testDb, u"j1"_s).processingError.contains(u"404"_s));

    QVERIFY(QFileInfo::exists(mediaFile(*m_daemon, u"alice"_s, u"i1"_s)));
    QVERIFY(QDir(QDir(m_daemon->dataDir()).filePath(u"vods/bob"_s))
                    .entryList({u"*.mp4"_s}, QDir::Files).isEmpty());
    QVERIFY(!VodRig::kv(*m_testDb, u"alice"_s, u"avg_download_ms"_s).isEmpty());
    QVERIFY(VodRig::kv(*m_testDb, u"bob"_s, u"avg_download_ms"_s).isEmpty());
    QCOMPARE(VodRig::kv(*m_testDb, u"bob"_s, u"circuit_failures"_s), u"1"_s);
    const QString aliceFailures = VodRig::kv(*m_testDb, u"alice"_s, u"circuit_failures"_s);
    QVERIFY2(aliceFailures.isEmpty() || aliceFailures == u"0"_s, qPrintable(aliceFailures));

    QTRY_COMPARE(VodRig::channelStatus(*m_daemon, u"bob"_s).value(u"errored"_s).toInt(), 1);
    const QJsonObject alice = VodRig::channelStatus(*m_daemon, u"alice"_s);
    QCOMPARE(alice.value(u"processed"_s).toInt(), 1);
    QCOMPARE(alice.value(u"errored"_s).toInt(), 0);
    QVERIFY(alice.contains(u"avg_download_ms"_s));
    QVERIFY(alice.value(u"avg_download_ms"_s).isString());

    const QByteArray metrics = VodRig::metrics(*m_daemon);
    const auto value = [&](const QString &name, const QString &channel) {
        return VodRig::metric(metrics, name, {{u"channel"_s, channel}});
    };
    QCOMPARE(value(u"vod_downloads_succeeded_total"_s, u"alice"_s), 1.0);
    QCOMPARE(value(u"vod_downloads_succeeded_total"_s, u"bob"_s), 0.0);
    QCOMPARE(value(u"vod_downloads_failed_total"_s, u"bob"_s), 1.0);
    QCOMPARE(value(u"vod_downloads_failed_total"_s, u"alice"_s), 0.0);
    QCOMPARE(value(u"vod_circuit_breaker_failures_total"_s, u"bob"_s), 1.0);
    QCOMPARE(value(u"vod_circuit_breaker_failures_total"_s, u"alice"_s), 0.0);

    const QJsonArray bobs = HttpClient::get(m_daemon->url(u"/vods?channel=bob"_s)).json().array();
    QCOMPARE(bobs.size(), 1);
    QCOMPARE(bobs.at(0).toObject().value(u"id"_s).toString(), u"j1"_s);
}

// SIGTERM mid-download: yt-dlp is stopped, the row goes back to the queue without its lease and
// without a failure, the .part file stays for the next start.
void VodPipelineTest::sigtermHandsTheRowBack()
{
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"t1"_s, u"Stopped"_s, day(1), 60}}));
    m_media->addFile(VodRig::mediaPath(u"t1"_s), MediaServer::content(8 * 1024 * 1024, 11),
                     512 * 1024);
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(*m_testDb, *m_media, {u"alice"_s})));
    const QString part = mediaFile(*m_daemon, u"alice"_s, u"t1"_s) + u".part"_s;
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(part).size() > 0, 10000);
    QCOMPARE(m_daemon->stop(SIGTERM), 0);
    QVERIFY(VodRig::ytDlpProcesses(*m_daemon, u"twitch_t1"_s).isEmpty());
    const VodRecord vod = VodRig::row(*m_testDb, u"t1"_s);
    QCOMPARE(vod.state, VodState::Queued);
    QVERIFY(vod.leaseOwner.isEmpty());
    QCOMPARE(vod.downloadAttempts, 0);
    QVERIFY(vod.processingError.isEmpty());
    QVERIFY(QFileInfo(part).size() > 0);
}

// The engine's chat recorder (manual mode: TWITCH_CHANNEL under TWITCH_VOD_ID) on a Twitch IRC
// stand-in: rows, the channel's chat metrics, a reconnect, and the token never in the log.
void VodPipelineTest::chatIsRecordedPerChannel()
{
    TmiStandin tmi("oauth:chat-secret-token");
    QVERIFY(tmi.start());
    QVERIFY(m_media->start());
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(
            *m_testDb, *m_media, {u"alice"_s},
            {{u"TWITCH_BOT_USERNAME"_s, u"pitwallbot"_s},
             {u"TWITCH_OAUTH_TOKEN"_s, u"chat-secret-token"_s},
             {u"TWITCH_IRC_ADDR"_s, u"127.0.0.1:%1"_s.arg(tmi.port())},
             {u"TWITCH_IRC_TLS"_s, u"0"_s},
             {u"TWITCH_VOD_ID"_s, u"chatvod"_s},
             {u"TWITCH_VOD_START"_s, QDateTime::currentDateTimeUtc().addSecs(-60)
                                             .toString(Qt::ISODate)}})));
    QSignalSpy joined(&tmi, &TmiStandin::clientJoined);
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 10000);
    QCOMPARE(joined.first().first().toByteArray(), QByteArray("#alice"));
    for (int i = 0; i < 3; ++i)
        tmi.privmsg("id=m" + QByteArray::number(i), "viewer1", "alice", "hello " + QByteArray::number(i));
    const QList<std::pair<QString, QString>> alice{{u"channel"_s, u"alice"_s}};
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::metric(VodRig::metrics(*m_daemon),
                                             u"chat_messages_recorded_total"_s, alice),
                              std::optional<double>(3.0), 10000);
    QCOMPARE(HttpClient::get(m_daemon->url(u"/vods/chatvod/chat"_s)).json().array().size(), 3);

    tmi.dropClients();
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 2, 15000);
    QTRY_VERIFY(VodRig::metric(VodRig::metrics(*m_daemon), u"chat_reconnections_total"_s, alice)
                >= std::optional<double>(1.0));
    QVERIFY(!m_daemon->output().contains("chat-secret-token"));
}

QTEST_GUILESS_MAIN(VodPipelineTest)
#include "vodpipeline.moc"
