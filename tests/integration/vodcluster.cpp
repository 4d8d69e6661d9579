#include "core/db/migrationrunner.h"
#include "vod/oauthtokenstore.h"
#include "vod/vodstore.h"

#include "daemonprocess.h"
#include "httpclient.h"
#include "mediaserver.h"
#include "testdatabase.h"
#include "vodrig.h"
#include "youtubestandin.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

QDateTime day(int i)
{
    return QDateTime(QDate(2024, 7, 1).addDays(i), QTime(18, 0), Qt::UTC);
}

QString partFile(const DaemonProcess &daemon, const QString &vodId)
{
    return QDir(daemon.dataDir()).filePath(u"vods/alice/twitch_%1.mp4.part"_s.arg(vodId));
}

// The owners that claimed the VOD (moved it to downloading), from its audit rows.
QStringList claimers(TestDatabase &database, const QString &vodId)
{
    StoreError error;
    QStringList owners;
    const auto history = VodStore(database.database()).history(vodId, &error);
    for (const VodTransitionRecord &change : history.value_or(QList<VodTransitionRecord>())) {
        if (change.to == VodState::Downloading)
            owners << change.actor;
    }
    return owners;
}

} // namespace

// Several daemons on one PostgreSQL database (leases, SKIP LOCKED claims), and a daemon killed
// with SIGKILL mid-download and mid-upload: the restart resumes the .part file and the same
// upload session (research scenario 6 at engine level, scenario 12's restart).
class VodClusterTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void twoDaemonsNeverShareAVod();
    void killedMidDownloadResumesThePart();
    void killedMidUploadResumesTheSession();

private:
    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<MediaServer> m_media;
};

void VodClusterTest::initTestCase()
{
    // Shared claims are what PostgreSQL deployments do; this file always runs against it.
    qputenv("PITWALL_TEST_DIALECT", "postgres");
}

void VodClusterTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_media = std::make_unique<MediaServer>();
}

void VodClusterTest::cleanup()
{
    m_media.reset();
    m_testDb.reset();
}

void VodClusterTest::twoDaemonsNeverShareAVod()
{
    QList<DiscoveredVod> vods;
    QStringList ids;
    for (int i = 0; i < 12; ++i) {
        const QString id = u"n%1"_s.arg(i);
        vods.append({id, id, day(i), 60});
        ids << id;
        m_media->addFile(VodRig::mediaPath(id), MediaServer::content(256 * 1024, quint32(i)),
                         512 * 1024);
    }
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, vods));
    QVERIFY(m_media->start());
    DaemonProcess first;
    DaemonProcess second;
    for (auto [daemon, node] : {std::pair{&first, u"node-a"_s}, std::pair{&second, u"node-b"_s}}) {
        QVERIFY(VodRig::start(*daemon, VodRig::environment(
                                               *m_testDb, *m_media, {u"alice"_s},
                                               {{u"MAX_CONCURRENT_DOWNLOADS"_s, u"2"_s},
                                                {u"NODE_ID"_s, node}})));
    }
    for (const QString &id : ids)
        QTRY_VERIFY_WITH_TIMEOUT(VodRig::row(*m_testDb, id).processed, 40000);

    QSet<QString> nodes;
    for (const QString &id : ids) {
        const QStringList owners = claimers(*m_testDb, id);
        QCOMPARE(owners.size(), 1);
        nodes.insert(owners.first().section(u':', 0, 0));
        // One yt-dlp invocation each: its probe and its download, neither with a Range.
        const QList<MediaRequest> requests = m_media->requests(VodRig::mediaPath(id));
        QCOMPARE(requests.size(), 2);
        QVERIFY(requests.at(0).range.isEmpty() && requests.at(1).range.isEmpty());
    }
    QCOMPARE(nodes, (QSet<QString>{u"node-a"_s, u"node-b"_s}));
    QCOMPARE(first.stop(SIGTERM), 0);
    QCOMPARE(second.stop(SIGTERM), 0);
}

void VodClusterTest::killedMidDownloadResumesThePart()
{
    const QByteArray content = MediaServer::content(8 * 1024 * 1024, 42);
    m_media->addFile(VodRig::mediaPath(u"k1"_s), content, 1024 * 1024);
    QVERIFY(m_media->start());
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"k1"_s, u"Killed"_s, day(1), 60}}));
    const auto env = VodRig::environment(*m_testDb, *m_media, {u"alice"_s},
                                         {{u"VOD_LEASE_DURATION"_s, u"2s"_s},
                                          {u"LOG_LEVEL"_s, u"debug"_s}});
    DaemonProcess daemon;
    QVERIFY(VodRig::start(daemon, env));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(partFile(daemon, u"k1"_s)).size() > 1024 * 1024, 10000);
    daemon.sendSignal(SIGKILL);
    // yt-dlp dies with it (parent-death signal), so the .part stops growing.
    QTRY_VERIFY_WITH_TIMEOUT(VodRig::ytDlpProcesses(daemon, u"twitch_k1"_s).isEmpty(), 3000);
    QTRY_VERIFY(!daemon.isRunning());
    const qint64 part = QFileInfo(partFile(daemon, u"k1"_s)).size();
    QVERIFY(part > 0 && part < content.size());
    const qsizetype before = m_media->requests(VodRig::mediaPath(u"k1"_s)).size();

    // The restarted daemon (another pid: another lease owner) takes it once the lease ran out.
    QVERIFY(VodRig::start(daemon, env));
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"k1"_s).state, VodState::DoneNoUpload, 20000);
    const QList<MediaRequest> after = m_media->requests(VodRig::mediaPath(u"k1"_s)).mid(before);
    const QString resume = u"bytes=%1-"_s.arg(part);
    QCOMPARE(std::count_if(after.cbegin(), after.cend(),
                           [&](const MediaRequest &request) { return request.range == resume; }),
             1);
    QVERIFY(std::none_of(after.cbegin(), after.cend(), [](const MediaRequest &request) {
        return request.range == u"bytes=0-"_s;
    }));
    QVERIFY(daemon.output().contains("Resuming download at byte " + QByteArray::number(part)));
    QFile file(VodRig::row(*m_testDb, u"k1"_s).downloadedPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256),
             QCryptographicHash::hash(content, QCryptographicHash::Sha256));
    QCOMPARE(claimers(*m_testDb, u"k1"_s).size(), 2);
    QCOMPARE(daemon.stop(SIGTERM), 0);
}

void VodClusterTest::killedMidUploadResumesTheSession()
{
    YouTubeStandIn youtube;
    QVERIFY(youtube.start());
    const QByteArray content = MediaServer::content(3 * 1024 * 1024, 12);
    m_media->addFile(VodRig::mediaPath(u"w1"_s), content);
    QVERIFY(m_media->start());
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"w1"_s, u"Upload"_s, day(2), 60}}));
    StoreError error;
    QVERIFY(OAuthTokenStore(m_testDb->database(), nullptr)
                    .write({OAuthToken::youtube, QString(), u"ya29.standin-token"_s, u"R0"_s,
                            QString(), QDateTime::currentDateTimeUtc().addSecs(3600), {}},
                           &error));
    // The fifth chunk fails once; the long backoff after it is when the daemon dies.
    youtube.failChunkOnce(5, 503);
    const auto env = VodRig::environment(*m_testDb, *m_media, {u"alice"_s},
                                         {{u"VOD_LEASE_DURATION"_s, u"2s"_s},
                                          {u"YOUTUBE_UPLOAD_ENABLED"_s, u"1"_s},
                                          {u"YOUTUBE_UPLOAD_OWNERSHIP"_s, u"authorized"_s},
                                          {u"YOUTUBE_UPLOAD_URL"_s, youtube.baseUrl()},
                                          {u"YOUTUBE_UPLOAD_CHUNK_SIZE"_s, u"262144"_s},
                                          {u"UPLOAD_BACKOFF_BASE"_s, u"30s"_s}});
    DaemonProcess daemon;
    QVERIFY(VodRig::start(daemon, env));
    QTRY_VERIFY_WITH_TIMEOUT(!youtube.requests().isEmpty()
                                     && youtube.requests().last().status == 503, 20000);
    const VodRecord uploading = VodRig::row(*m_testDb, u"w1"_s);
    QCOMPARE(uploading.state, VodState::Uploading);
    QVERIFY(!uploading.uploadSessionUri.isEmpty());
    QCOMPARE(uploading.uploadOffset, 4 * 262144);
    daemon.sendSignal(SIGKILL);
    QTRY_VERIFY(!daemon.isRunning());

    QVERIFY(VodRig::start(daemon, env));
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"w1"_s).state, VodState::Done, 20000);
    QCOMPARE(youtube.initiationCount(), 1);
    const std::optional<YouTubeStandIn::Session> session = youtube.completedSession();
    QVERIFY(session);
    QCOMPARE(session->sha256, QCryptographicHash::hash(content, QCryptographicHash::Sha256));
    // The restart asked where the session stood before sending more.
    const QList<YouTubeStandIn::Recorded> requests = youtube.requests();
    const auto query = std::find_if(requests.cbegin(), requests.cend(),
                                    [](const YouTubeStandIn::Recorded &r) { return r.isStatusQuery(); });
    QVERIFY(query != requests.cend());
    QCOMPARE(youtube.chunksCovering(0, 4 * 262144 - 1), 4);
    QVERIFY(!QFileInfo::exists(uploading.downloadedPath));
    QCOMPARE(daemon.stop(SIGTERM), 0);
}

QTEST_GUILESS_MAIN(VodClusterTest)
#include "vodcluster.moc"
