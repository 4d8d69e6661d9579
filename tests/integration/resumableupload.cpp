#include "vod/resumableupload.h"

#include "youtubestandin.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::UploadError)

namespace {

constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 fileSize = 40 * MiB;
constexpr qint64 chunk = 8 * MiB;
const QString token = u"ya29.upload-test"_s;

UploadMetadata scenarioMetadata()
{
    UploadMetadata::Source source;
    source.vodId = u"v1"_s;
    source.channel = u"alice"_s;
    source.title = u"Stream  \t<b>hi</b>"_s;
    source.date = QDateTime(QDate(2024, 5, 1), QTime(18, 0), Qt::UTC);
    source.url = u"https://www.twitch.tv/videos/v1"_s;
    return UploadMetadata::fromVod(source);
}

// What one ResumableUpload emitted.
struct Signals
{
    explicit Signals(ResumableUpload &upload)
        : started(&upload, &ResumableUpload::sessionStarted)
        , committed(&upload, &ResumableUpload::offsetCommitted)
        , finished(&upload, &ResumableUpload::finished)
        , failed(&upload, &ResumableUpload::failed)
    {
    }

    bool ended() const { return finished.count() + failed.count() > 0; }
    UploadError error() const { return failed.constFirst().constFirst().value<UploadError>(); }
    QList<qint64> offsets() const
    {
        QList<qint64> values;
        for (const QList<QVariant> &args : committed)
            values << args.constFirst().toLongLong();
        return values;
    }

    QSignalSpy started;
    QSignalSpy committed;
    QSignalSpy finished;
    QSignalSpy failed;
};

} // namespace

// ResumableUpload against the resumable stand-in: research scenario 12 (a 503 inside the
// session, a restart), and the per-upload parts of scenario 13 (invalid title, a broken backend,
// quota), session expiry and auth.
class ResumableUploadTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void serviceUnavailableResumesInSession();
    void restartResumesSameSession();
    void refusalIsNotRetried_data();
    void refusalIsNotRetried();
    void serverErrorFailsAfterBoundedAttempts();
    void serverErrorInsideSessionIsBounded();
    void expiredSessionIsReported();
    void unknownSessionOnResumeIsExpired();
    void unauthorizedIsAuth();

private:
    UploadSettings settings() const;
    QList<YouTubeStandIn::Recorded> putsAfter(qsizetype index) const;

    QTemporaryDir m_dir;
    QString m_file;
    QByteArray m_sha256;
    std::unique_ptr<YouTubeStandIn> m_youtube;
};

void ResumableUploadTest::initTestCase()
{
    qRegisterMetaType<Pitwall::UploadError>();
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"twitch_v1.mp4"_s);
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(MiB, Qt::Uninitialized);
    for (qint64 written = 0; written < fileSize; written += block.size()) {
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(block.data()),
                                              block.size() / sizeof(quint32));
        hash.addData(block);
        QCOMPARE(file.write(block), block.size());
    }
    m_sha256 = hash.result();
}

void ResumableUploadTest::init()
{
    m_youtube = std::make_unique<YouTubeStandIn>();
    m_youtube->setAccessToken(token);
    QVERIFY(m_youtube->start());
}

void ResumableUploadTest::cleanup()
{
    m_youtube.reset();
}

UploadSettings ResumableUploadTest::settings() const
{
    UploadSettings settings;
    settings.uploadUrl = QUrl(m_youtube->baseUrl());
    settings.chunkSize = chunk;
    settings.maxAttempts = 3;
    settings.backoffBase = std::chrono::milliseconds(20);
    return settings;
}

QList<YouTubeStandIn::Recorded> ResumableUploadTest::putsAfter(qsizetype index) const
{
    QList<YouTubeStandIn::Recorded> puts;
    for (const YouTubeStandIn::Recorded &r : m_youtube->requests().sliced(index)) {
        if (r.method == "PUT")
            puts << r;
    }
    return puts;
}

void ResumableUploadTest::serviceUnavailableResumesInSession()
{
    m_youtube->failChunkOnce(2, 503);
    ResumableUpload upload(settings());
    Signals spies(upload);
    QVERIFY(upload.start(m_file, scenarioMetadata(), token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QVERIFY2(spies.failed.isEmpty(), spies.failed.isEmpty() ? "" : qPrintable(spies.error().message));

    QCOMPARE(m_youtube->initiationCount(), 1);
    const std::optional<YouTubeStandIn::Session> session = m_youtube->completedSession();
    QVERIFY(session);
    QCOMPARE(session->sha256, m_sha256);
    QCOMPARE(spies.finished.constFirst().constFirst().toString(), session->videoId);
    QVERIFY(m_youtube->chunksCovering(8388608, 16777215) <= 2);

    // The 503 was followed by a status query in the same session, then chunk 2 again.
    const QList<YouTubeStandIn::Recorded> &requests = m_youtube->requests();
    const auto failedAt = std::find_if(requests.cbegin(), requests.cend(),
                                       [](const auto &r) { return r.status == 503; });
    QVERIFY(failedAt != requests.cend());
    QCOMPARE(failedAt->rangeFirst, 8388608);
    QVERIFY((failedAt + 1)->isStatusQuery());
    QCOMPARE((failedAt + 1)->header("Content-Range"), "bytes */41943040");
    QCOMPARE((failedAt + 2)->rangeFirst, 8388608);
    const QList<YouTubeStandIn::Recorded> puts = putsAfter(0);
    for (const YouTubeStandIn::Recorded &put : puts)
        QCOMPARE(put.sessionId, puts.constFirst().sessionId);

    // What the initiation carried.
    const YouTubeStandIn::Recorded &initiation = requests.constFirst();
    QVERIFY(initiation.isInitiation());
    QCOMPARE(initiation.header("X-Upload-Content-Length"), "41943040");
    QCOMPARE(initiation.header("X-Upload-Content-Type"), "video/mp4");
    QCOMPARE(initiation.header("Authorization"), "Bearer " + token.toUtf8());
    const QJsonObject snippet = session->metadata[u"snippet"_s].toObject();
    const QString title = snippet[u"title"_s].toString();
    QVERIFY(title.startsWith(u"2024-05-01 "_s));
    QVERIFY(title.size() <= 100);
    QVERIFY(std::none_of(title.cbegin(), title.cend(), [](QChar c) {
        return c.category() == QChar::Other_Control || c == u'<' || c == u'>';
    }));
    QVERIFY(snippet[u"description"_s].toString().contains(u"Original Twitch VOD ID: v1"_s));
    QCOMPARE(session->metadata[u"status"_s][u"privacyStatus"_s].toString(), u"private"_s);

    // Every chunk but the last is 8 MiB with its exact range; offsets are announced in order.
    for (const YouTubeStandIn::Recorded &put : puts) {
        if (put.isChunk()) {
            QCOMPARE(put.rangeFirst % chunk, 0);
            QCOMPARE(put.header("Content-Range"),
                     u"bytes %1-%2/41943040"_s.arg(put.rangeFirst).arg(put.rangeFirst + chunk - 1)
                             .toLatin1());
        }
    }
    QCOMPARE(spies.started.count(), 1);
    QCOMPARE(spies.offsets(), (QList<qint64>{8 * MiB, 16 * MiB, 24 * MiB, 32 * MiB}));
}

void ResumableUploadTest::restartResumesSameSession()
{
    QUrl savedUri;
    qint64 savedOffset = 0;
    {
        ResumableUpload first(settings());
        Signals spies(first);
        connect(&first, &ResumableUpload::sessionStarted, this, [&](const QUrl &uri) {
            savedUri = uri;
        });
        connect(&first, &ResumableUpload::offsetCommitted, this, [&](qint64 offset) {
            savedOffset = offset;
        });
        // The "crash": in the middle of the third chunk.
        connect(&first, &ResumableUpload::bytesSent, this, [&](qint64 sent, qint64) {
            if (sent > 16 * MiB + MiB)
                first.abort();
        });
        QVERIFY(first.start(m_file, scenarioMetadata(), token));
        QTRY_VERIFY_WITH_TIMEOUT(!first.isActive(), 30000);
        QVERIFY(spies.finished.isEmpty() && spies.failed.isEmpty());
    }
    QVERIFY(savedUri.isValid());
    QCOMPARE(savedOffset, 16 * MiB);
    QVERIFY(!m_youtube->completedSession());

    const qsizetype before = m_youtube->requests().size();
    ResumableUpload second(settings());
    Signals spies(second);
    QVERIFY(second.resume(savedUri, savedOffset, m_file, token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QVERIFY2(spies.failed.isEmpty(), spies.failed.isEmpty() ? "" : qPrintable(spies.error().message));

    const QList<YouTubeStandIn::Recorded> puts = putsAfter(before);
    QVERIFY(puts.constFirst().isStatusQuery());
    QCOMPARE(m_youtube->initiationCount(), 1);
    QCOMPARE(spies.started.count(), 0);
    for (const YouTubeStandIn::Recorded &put : puts)
        QCOMPARE(put.sessionId, puts.constFirst().sessionId);
    QVERIFY(std::none_of(puts.cbegin(), puts.cend(),
                         [](const auto &r) { return r.isChunk() && r.rangeFirst < 16 * MiB; }));
    const std::optional<YouTubeStandIn::Session> session = m_youtube->completedSession();
    QVERIFY(session);
    QCOMPARE(session->sha256, m_sha256);
}

void ResumableUploadTest::refusalIsNotRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("errorClass");
    QTest::newRow("invalid title") << 400 << u"invalidTitle"_s << u"invalid-metadata"_s;
    QTest::newRow("invalid description") << 400 << u"invalidDescription"_s << u"invalid-metadata"_s;
    QTest::newRow("quota") << 403 << u"quotaExceeded"_s << u"quota"_s;
    QTest::newRow("daily limit") << 403 << u"dailyLimitExceeded"_s << u"quota"_s;
}

void ResumableUploadTest::refusalIsNotRetried()
{
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QString, errorClass);
    m_youtube->rejectInitiation(status, reason);
    ResumableUpload upload(settings());
    Signals spies(upload);
    QVERIFY(upload.start(m_file, scenarioMetadata(), token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QCOMPARE(spies.failed.count(), 1);
    QCOMPARE(spies.error().className(), errorClass);
    QCOMPARE(spies.error().reason, reason);
    QCOMPARE(spies.error().httpStatus, status);
    QVERIFY(!spies.error().isRetryable());
    QTest::qWait(300); // several backoff periods: a retry would show up
    QCOMPARE(m_youtube->initiationCount(), 1);
    QCOMPARE(m_youtube->requests().size(), 1);
}

void ResumableUploadTest::serverErrorFailsAfterBoundedAttempts()
{
    m_youtube->failAlways(500);
    ResumableUpload upload(settings());
    Signals spies(upload);
    QVERIFY(upload.start(m_file, scenarioMetadata(), token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QCOMPARE(spies.failed.count(), 1);
    QCOMPARE(spies.error().className(), u"transient"_s);
    QCOMPARE(spies.error().httpStatus, 500);
    QVERIFY2(spies.error().message.contains(u"after 3 attempts"_s),
             qPrintable(spies.error().message));
    QTest::qWait(300);
    QCOMPARE(m_youtube->initiationCount(), 3);
    QCOMPARE(m_youtube->requests().size(), 3);
}

void ResumableUploadTest::serverErrorInsideSessionIsBounded()
{
    ResumableUpload upload(settings());
    Signals spies(upload);
    connect(&upload, &ResumableUpload::offsetCommitted, this, [this] { m_youtube->failAlways(500); });
    QVERIFY(upload.start(m_file, scenarioMetadata(), token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QCOMPARE(spies.error().className(), u"transient"_s);
    // The failed chunk, then two status queries; the session is kept for a later resume.
    const QList<YouTubeStandIn::Recorded> puts = putsAfter(0);
    QCOMPARE(puts.size(), 4);
    QVERIFY(puts.at(1).isChunk() && puts.at(2).isStatusQuery() && puts.at(3).isStatusQuery());
    QCOMPARE(m_youtube->initiationCount(), 1);
    QVERIFY(upload.sessionUri().isValid());
    QCOMPARE(upload.committedOffset(), 8 * MiB);
}

void ResumableUploadTest::expiredSessionIsReported()
{
    ResumableUpload upload(settings());
    Signals spies(upload);
    connect(&upload, &ResumableUpload::offsetCommitted, this, [this] { m_youtube->expireSessions(); });
    QVERIFY(upload.start(m_file, scenarioMetadata(), token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QCOMPARE(spies.error().className(), u"session-expired"_s);
    QCOMPARE(spies.error().httpStatus, 404);
    QCOMPARE(m_youtube->requests().size(), 3); // initiation, chunk 1, chunk 2 refused
}

void ResumableUploadTest::unknownSessionOnResumeIsExpired()
{
    ResumableUpload upload(settings());
    Signals spies(upload);
    const QUrl gone(m_youtube->baseUrl()
                    + u"/upload/youtube/v3/videos?uploadType=resumable&upload_id=gone"_s);
    QVERIFY(upload.resume(gone, 8 * MiB, m_file, token));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QCOMPARE(spies.error().className(), u"session-expired"_s);
    QCOMPARE(m_youtube->requests().size(), 1);
    QVERIFY(m_youtube->requests().constFirst().isStatusQuery());
}

void ResumableUploadTest::unauthorizedIsAuth()
{
    ResumableUpload upload(settings());
    Signals spies(upload);
    QVERIFY(upload.start(m_file, scenarioMetadata(), u"ya29.revoked"_s));
    QTRY_VERIFY_WITH_TIMEOUT(spies.ended(), 30000);
    QCOMPARE(spies.error().className(), u"auth"_s);
    QCOMPARE(spies.error().httpStatus, 401);
    QVERIFY(!spies.error().message.contains(u"ya29"_s));
    QCOMPARE(m_youtube->requests().size(), 1);
}

QTEST_GUILESS_MAIN(ResumableUploadTest)
#include "resumableupload.moc"
