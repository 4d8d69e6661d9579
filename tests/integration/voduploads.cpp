#include "core/db/migrationrunner.h"
#include "vod/oauthtokenstore.h"
#include "vod/tokencipher.h"
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
#include <QtTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QByteArray key(32, 'K');
const QString accessToken = u"ya29.standin-token"_s;

QDateTime day(int i)
{
    return QDateTime(QDate(2024, 5, 1).addDays(i), QTime(18, 0), Qt::UTC);
}

QString mediaFile(const DaemonProcess &daemon, const QString &vodId)
{
    return QDir(daemon.dataDir()).filePath(u"vods/alice/twitch_%1.mp4"_s.arg(vodId));
}

} // namespace

// Uploads through the whole engine in a real daemon: the upload gate, the resumable upload to
// the YouTube stand-in with the token from the encrypted store, the file removed only after
// YouTube confirmed it, and scenario 13's failures and daily cap.
class VodUploadsTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void uploadsAndRemovesTheFile();
    void failuresAreRecordedAsUploadErrors();
    void dailyCapThrottles();

private:
    QHash<QString, QString> environment(const QHash<QString, QString> &extra = {}) const;
    void storeToken();

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<MediaServer> m_media;
    std::unique_ptr<YouTubeStandIn> m_youtube;
    std::unique_ptr<DaemonProcess> m_daemon;
};

void VodUploadsTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_media = std::make_unique<MediaServer>();
    m_youtube = std::make_unique<YouTubeStandIn>();
    QVERIFY(m_youtube->start());
    m_daemon = std::make_unique<DaemonProcess>();
    storeToken();
}

void VodUploadsTest::cleanup()
{
    if (m_daemon && m_daemon->isRunning())
        QCOMPARE(m_daemon->stop(SIGTERM), 0);
    m_daemon.reset();
    m_youtube.reset();
    m_media.reset();
    m_testDb.reset();
}

QHash<QString, QString> VodUploadsTest::environment(const QHash<QString, QString> &extra) const
{
    QHash<QString, QString> env{{u"YOUTUBE_UPLOAD_ENABLED"_s, u"1"_s},
                                {u"YOUTUBE_UPLOAD_OWNERSHIP"_s, u"self"_s},
                                {u"YOUTUBE_UPLOAD_URL"_s, m_youtube->baseUrl()},
                                {u"ENCRYPTION_KEY"_s, QString::fromLatin1(key.toBase64())},
                                {u"YOUTUBE_UPLOAD_CHUNK_SIZE"_s, u"262144"_s}};
    env.insert(extra);
    return VodRig::environment(*m_testDb, *m_media, {u"alice"_s}, env);
}

// The shared YouTube token, encrypted at rest, valid for an hour: no refresh is needed.
void VodUploadsTest::storeToken()
{
    QString error;
    const std::optional<TokenCipher> cipher = TokenCipher::fromKey(key, &error);
    QVERIFY2(cipher, qPrintable(error));
    StoreError storeError;
    const OAuthToken token{OAuthToken::youtube, QString(), accessToken, u"R0"_s,
                           u"https://www.googleapis.com/auth/youtube.upload"_s,
                           QDateTime::currentDateTimeUtc().addSecs(3600), {}};
    QVERIFY(OAuthTokenStore(m_testDb->database(), &*cipher).write(token, &storeError));
}

void VodUploadsTest::uploadsAndRemovesTheFile()
{
    const QByteArray content = MediaServer::content(1024 * 1024 + 4321, 5);
    m_media->addFile(VodRig::mediaPath(u"u1"_s), content);
    QVERIFY(m_media->start());
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"u1"_s, u"Stream  \t<b>hi</b>"_s, day(0), 60}}));
    QVERIFY(VodRig::start(*m_daemon, environment()));

    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"u1"_s).state, VodState::Done, 30000);
    const VodRecord vod = VodRig::row(*m_testDb, u"u1"_s);
    const std::optional<YouTubeStandIn::Session> session = m_youtube->completedSession();
    QVERIFY(session);
    QCOMPARE(m_youtube->initiationCount(), 1);
    QCOMPARE(session->sha256, QCryptographicHash::hash(content, QCryptographicHash::Sha256));
    QCOMPARE(vod.youtubeUrl, u"https://www.youtube.com/watch?v="_s + session->videoId);
    QVERIFY(vod.processed);
    QVERIFY(vod.uploadedAt.isValid());
    QVERIFY(vod.uploadSessionUri.isEmpty());
    // Removed once YouTube had all of it, and the row says so.
    QVERIFY(vod.downloadedPath.isEmpty());
    QVERIFY(!QFileInfo::exists(mediaFile(*m_daemon, u"u1"_s)));
    const QString title = session->metadata.value(u"snippet"_s).toObject().value(u"title"_s).toString();
    QVERIFY2(title.startsWith(u"2024-05-01 "_s) && !title.contains(u'<') && !title.contains(u'\t'),
             qPrintable(title));
    QCOMPARE(session->metadata.value(u"status"_s).toObject().value(u"privacyStatus"_s).toString(),
             u"private"_s);
    // Every chunk PUT carried the stored (decrypted) token.
    for (const YouTubeStandIn::Recorded &request : m_youtube->requests())
        QCOMPARE(request.header("Authorization"), "Bearer " + accessToken.toUtf8());

    const QByteArray metrics = VodRig::metrics(*m_daemon);
    const QList<std::pair<QString, QString>> alice{{u"channel"_s, u"alice"_s}};
    QCOMPARE(VodRig::metric(metrics, u"vod_uploads_succeeded_total"_s, alice), 1.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_uploads_failed_total"_s, alice), 0.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_upload_duration_seconds_count"_s, alice), 1.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_processing_total_duration_seconds_count"_s, alice), 1.0);
    QVERIFY(!VodRig::kv(*m_testDb, u"alice"_s, u"avg_upload_ms"_s).isEmpty());
    QTRY_VERIFY(VodRig::channelStatus(*m_daemon, u"alice"_s).value(u"avg_upload_ms"_s).isString());
}

// Scenario 13: an invalid title is not retried; a broken backend uses up the attempts of one
// cycle and waits for the next, keeping the file.
void VodUploadsTest::failuresAreRecordedAsUploadErrors()
{
    m_media->addFile(VodRig::mediaPath(u"vA"_s), MediaServer::content(300 * 1024, 6));
    m_media->addFile(VodRig::mediaPath(u"vB"_s), MediaServer::content(300 * 1024, 7));
    QVERIFY(m_media->start());
    m_youtube->rejectInitiation(400, u"invalidTitle"_s);
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"vA"_s, u"A"_s, day(1), 60}}));
    QVERIFY(VodRig::start(*m_daemon, environment({{u"UPLOAD_MAX_ATTEMPTS"_s, u"3"_s}})));

    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"vA"_s).state, VodState::FailedTerminal, 30000);
    QCOMPARE(m_youtube->initiationCount(), 1);
    VodRecord vod = VodRig::row(*m_testDb, u"vA"_s);
    QVERIFY2(vod.processingError.startsWith(u"upload: "_s), qPrintable(vod.processingError));
    QVERIFY(QFileInfo::exists(vod.downloadedPath));

    m_youtube->clearFailures();
    m_youtube->failAlways(500);
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"vB"_s, u"B"_s, day(2), 60}}));
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"vB"_s).state, VodState::FailedRetry, 30000);
    QCOMPARE(m_youtube->initiationCount(), 1 + 3);
    vod = VodRig::row(*m_testDb, u"vB"_s);
    QVERIFY2(vod.processingError.startsWith(u"upload: "_s), qPrintable(vod.processingError));
    QCOMPARE(vod.uploadAttempts, 1);
    QCOMPARE(vod.downloadAttempts, 0);
    QVERIFY(vod.nextAttemptAt > QDateTime::currentDateTimeUtc());
    QVERIFY(QFileInfo::exists(vod.downloadedPath));
    const QByteArray metrics = VodRig::metrics(*m_daemon);
    QCOMPARE(VodRig::metric(metrics, u"vod_uploads_failed_total"_s, {{u"channel"_s, u"alice"_s}}), 2.0);
    // Upload failures never count against the media circuit.
    const QString failures = VodRig::kv(*m_testDb, u"alice"_s, u"circuit_failures"_s);
    QVERIFY2(failures.isEmpty() || failures == u"0"_s, qPrintable(failures));
}

// Scenario 13: with the daily cap reached by an upload an hour ago, nothing is fetched or
// uploaded, and the VOD next in line shows that it is throttled.
void VodUploadsTest::dailyCapThrottles()
{
    m_media->addFile(VodRig::mediaPath(u"vC"_s), MediaServer::content(64 * 1024, 8));
    QVERIFY(m_media->start());
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"old"_s, u"Uploaded"_s, day(0), 60}}));
    // The earlier upload, written the way a worker does it.
    VodStore store(m_testDb->database());
    StoreError error;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto claimed = store.claimNext({u"alice"_s, u"earlier-node:1"_s, now,
                                          std::chrono::minutes(2), {}}, &error);
    QVERIFY2(claimed, qPrintable(error.message));
    QVERIFY(store.markDownloaded(claimed->id, u"earlier-node:1"_s, u"/nowhere.mp4"_s, 10, &error));
    QVERIFY(store.transition(claimed->id, {VodState::Downloaded, VodState::Uploading, u"test"_s,
                                           u"earlier-node:1"_s, {}}, &error));
    QVERIFY(store.markUploaded(claimed->id, u"earlier-node:1"_s, u"https://www.youtube.com/watch?v=x"_s,
                               now.addSecs(-3600), &error));
    QVERIFY(VodRig::seed(*m_testDb, u"alice"_s, {{u"vC"_s, u"C"_s, day(3), 60}}));

    QVERIFY(VodRig::start(*m_daemon, environment({{u"UPLOAD_DAILY_LIMIT"_s, u"1"_s}})));
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::row(*m_testDb, u"vC"_s).state, VodState::Throttled, 10000);
    QTRY_VERIFY(VodRig::channelStatus(*m_daemon, u"alice"_s).value(u"throttled"_s).toBool());
    // The cap frees when the earlier upload is 24 h old.
    const QDateTime freeAt = VodRig::row(*m_testDb, u"vC"_s).nextAttemptAt;
    QVERIFY(qAbs(freeAt.secsTo(now.addSecs(23 * 3600))) < 60);
    QTest::qWait(2500); // more than two cycles
    QVERIFY(m_media->requests().isEmpty());
    QVERIFY(m_youtube->requests().isEmpty());
    QCOMPARE(VodRig::row(*m_testDb, u"vC"_s).state, VodState::Throttled);
}

QTEST_GUILESS_MAIN(VodUploadsTest)
#include "voduploads.moc"
