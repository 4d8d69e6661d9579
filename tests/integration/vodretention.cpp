#include "core/db/migrationrunner.h"
#include "vod/vodsql.h"
#include "vod/vodstate.h"

#include "daemonprocess.h"
#include "mediaserver.h"
#include "testdatabase.h"
#include "vodrig.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

struct Fixture
{
    QString channel;
    QString id;
    int daysOld = 0;
    VodState state = VodState::DoneNoUpload;
    bool fileExists = true;
};

// Scenario 17 for alice (plus a row whose file is gone and an upload's URL), an older VOD of
// bob's beyond his newest one, and carol, whose files lie in the same DATA_DIR but whom this
// daemon does not serve.
const QList<Fixture> fixtures{
    {u"alice"_s, u"a1"_s, 1},
    {u"alice"_s, u"a3"_s, 3},
    {u"alice"_s, u"a10"_s, 10},
    {u"alice"_s, u"a20"_s, 20, VodState::Done},
    {u"alice"_s, u"a40"_s, 40},
    {u"alice"_s, u"u30"_s, 30, VodState::FailedRetry},
    {u"alice"_s, u"gone50"_s, 50, VodState::DoneNoUpload, false},
    {u"bob"_s, u"b50"_s, 50},
    {u"bob"_s, u"b60"_s, 60},
    {u"carol"_s, u"c90"_s, 90},
};

// What RETENTION_KEEP_DAYS=7 with RETENTION_KEEP_COUNT=1 takes: alice's files older than a week
// of processed VODs, and bob's all but his newest, each channel counted on its own.
const QString youtubeUrl = u"https://www.youtube.com/watch?v=yt20"_s;

const QStringList deletedFiles{u"a10"_s, u"a20"_s, u"a40"_s, u"b60"_s};

// The pipeline's summary line of one channel's sweep, as it ends the line of the text log.
QByteArray summary(const QString &channel, int cleaned, int missing, qint64 bytesFreed, bool dryRun)
{
    return u"channel %1 retention: cleaned %2, missing %3, errors 0, %4 bytes freed%5\n"_s
            .arg(channel).arg(cleaned).arg(missing).arg(bytesFreed)
            .arg(dryRun ? u" (dry run)"_s : QString())
            .toUtf8();
}

} // namespace

// Retention (research §1.6, scenario 17) in a real daemon: RETENTION_* from the environment,
// the sweep at start for each channel it serves, the dry run first and then the real one on the
// same files, rows, chat and YouTube URLs kept, and other channels' files left alone.
class VodRetentionTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void dryRunThenSweep();

private:
    QString filePath(const Fixture &fixture) const;
    void seed();
    // Starts a daemon for alice and bob with the policy and waits for both channels' summaries.
    void runDaemon(bool dryRun);

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<MediaServer> m_media;
    std::unique_ptr<DaemonProcess> m_daemon;
    QByteArray m_log;
};

void VodRetentionTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_dataDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dataDir->isValid());
    m_media = std::make_unique<MediaServer>();
    QVERIFY(m_media->start());
}

void VodRetentionTest::cleanup()
{
    if (m_daemon && m_daemon->isRunning())
        QCOMPARE(m_daemon->stop(SIGTERM), 0);
    m_daemon.reset();
    m_media.reset();
    m_dataDir.reset();
    m_testDb.reset();
}

QString VodRetentionTest::filePath(const Fixture &fixture) const
{
    return m_dataDir->filePath(u"%1/twitch_%2.mp4"_s.arg(fixture.channel, fixture.id));
}

void VodRetentionTest::seed()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Fixture &fixture : fixtures) {
        QVERIFY(VodRig::seed(*m_testDb, fixture.channel,
                             {{fixture.id, fixture.id, now.addDays(-fixture.daysOld), 60}}));
        const QString path = filePath(fixture);
        if (fixture.fileExists) {
            QVERIFY(QDir().mkpath(QFileInfo(path).path()));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QCOMPARE(file.write(QByteArray(1000 + fixture.daysOld, 'v')), 1000 + fixture.daysOld);
        }
        // Rows as the pipeline leaves them; the failed one waits a day for its next attempt, so
        // the daemon's queue leaves it alone too.
        QVERIFY(VodRig::exec(*m_testDb,
                             u"UPDATE vods SET state = ?, downloaded_path = ?, "
                             "download_state = 'complete', youtube_url = ?, next_attempt_at = ? "
                             "WHERE twitch_vod_id = ?"_s,
                             {toText(fixture.state), path,
                              VodSql::text(fixture.state == VodState::Done ? youtubeUrl : QString()),
                              VodSql::timestamp(now.addDays(1)), fixture.id}));
    }
    QVERIFY(VodRig::exec(*m_testDb,
                         u"INSERT INTO chat_messages (channel, vod_id, username, message, "
                         "abs_timestamp, rel_timestamp) VALUES ('alice', 'a40', 'viewer1', 'gg', "
                         "?, 12.5)"_s,
                         {VodSql::timestamp(now.addDays(-40))}));
}

void VodRetentionTest::runDaemon(bool dryRun)
{
    m_daemon = std::make_unique<DaemonProcess>();
    QVERIFY(VodRig::start(*m_daemon, VodRig::environment(
            *m_testDb, *m_media, {u"alice"_s, u"bob"_s},
            {{u"DATA_DIR"_s, m_dataDir->path()},
             {u"RETENTION_KEEP_DAYS"_s, u"7"_s},
             {u"RETENTION_KEEP_COUNT"_s, u"1"_s},
             {u"RETENTION_DRY_RUN"_s, dryRun ? u"1"_s : u"0"_s},
             {u"LOG_FORMAT"_s, u"text"_s}})));
    for (const QString &channel : {u"alice"_s, u"bob"_s}) {
        QVERIFY2(m_daemon->waitForOutput(u"channel %1 retention: "_s.arg(channel).toUtf8()),
                 m_daemon->output().constData());
    }
    QCOMPARE(m_daemon->stop(SIGTERM), 0);
    m_log = m_daemon->output();
}

void VodRetentionTest::dryRunThenSweep()
{
    seed();
    if (QTest::currentTestFailed())
        return;
    const auto find = [](const QString &id) {
        return *std::find_if(fixtures.cbegin(), fixtures.cend(),
                             [&](const Fixture &fixture) { return fixture.id == id; });
    };

    // Dry run: one line per candidate, a summary per channel, nothing changed.
    runDaemon(true);
    QStringList wouldDelete;
    for (const QByteArray &line : m_log.split('\n')) {
        if (line.contains("dry-run: would delete file"))
            wouldDelete << QString::fromUtf8(line);
    }
    QCOMPARE(wouldDelete.size(), deletedFiles.size() + 1); // and gone50, whose file is missing
    for (const QString &id : deletedFiles + QStringList{u"gone50"_s}) {
        const QString path = filePath(find(id));
        QCOMPARE(std::count_if(wouldDelete.cbegin(), wouldDelete.cend(),
                               [&](const QString &line) { return line.contains(path); }),
                 1);
    }
    QVERIFY2(m_log.contains(summary(u"alice"_s, 4, 0, 3070, true)), m_log.constData());
    QVERIFY(m_log.contains(summary(u"bob"_s, 1, 0, 1060, true)));
    QVERIFY(!m_log.contains("channel carol"));
    for (const Fixture &fixture : fixtures) {
        QCOMPARE(QFile::exists(filePath(fixture)), fixture.fileExists);
        QCOMPARE(VodRig::row(*m_testDb, fixture.id).downloadedPath, filePath(fixture));
    }

    // The real sweep on the same files.
    runDaemon(false);
    QVERIFY2(m_log.contains(summary(u"alice"_s, 3, 1, 3070, false)), m_log.constData());
    QVERIFY(m_log.contains(summary(u"bob"_s, 1, 0, 1060, false)));
    QVERIFY(!m_log.contains("dry-run"));
    for (const Fixture &fixture : fixtures) {
        const bool deleted = deletedFiles.contains(fixture.id);
        const bool cleared = deleted || !fixture.fileExists;
        QVERIFY2(QFile::exists(filePath(fixture)) == (fixture.fileExists && !deleted),
                 qPrintable(fixture.id));
        const VodRecord vod = VodRig::row(*m_testDb, fixture.id);
        QCOMPARE(vod.twitchVodId, fixture.id); // the row stays
        QCOMPARE(vod.state, fixture.state);
        QCOMPARE(vod.downloadedPath, cleared ? QString() : filePath(fixture));
    }
    QCOMPARE(VodRig::row(*m_testDb, u"a20"_s).youtubeUrl, youtubeUrl);
    QCOMPARE(VodRig::scalar(*m_testDb, u"SELECT message FROM chat_messages WHERE vod_id = 'a40'"_s),
             u"gg"_s);
}

QTEST_GUILESS_MAIN(VodRetentionTest)
#include "vodretention.moc"
