#include "core/db/database.h"
#include "core/db/migrationrunner.h"
#include "testdatabase.h"
#include "vod/retentionsweeper.h"
#include "vod/vodsql.h"
#include "vod/vodstore.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using namespace std::chrono_literals;

namespace {

const QString alice = u"alice"_s;
const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

// Every "dry-run: would delete file" line logged while a test runs.
QMutex dryRunMutex;
QStringList dryRunLines;
QtMessageHandler previousHandler = nullptr;

void recordDryRun(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.startsWith(u"dry-run: would delete file"_s)) {
        QMutexLocker locker(&dryRunMutex);
        dryRunLines << message;
    }
    previousHandler(type, context, message);
}

} // namespace

class TestRetentionSweeper final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void scenario17KeepDays();
    void scenario17DryRun();
    void keepCountAndTheUnion();
    void disabledPolicyKeepsEverything();
    void tempCleanupTouchesOnlyStaleFilesOfTheChannel();
    void fileNames();

private:
    // Research scenario 17: processed rows with files dated 1, 3, 10, 20 and 40 days before t0,
    // an unprocessed one with a file aged 30 days, a processed one of 50 days whose file is
    // already gone, and bob's processed row of 40 days with a file in the same directory.
    void seedScenario17();
    QString writeFile(const QString &name, qint64 size = 1024,
                      const QDateTime &modified = QDateTime());
    void addRow(const QString &channel, const QString &id, int daysOld, VodState state,
                const QString &path);
    RetentionSweeper sweeper(RetentionPolicy policy, const QString &channel = alice) const
    {
        return RetentionSweeper(m_testDb->database(), channel, policy);
    }
    VodRecord row(const QString &id);
    QSqlQuery sql(const QString &statement, const QVariantList &values = {});

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<QTemporaryDir> m_media;
};

void TestRetentionSweeper::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_media = std::make_unique<QTemporaryDir>();
    QVERIFY(m_media->isValid());
    dryRunLines.clear();
    previousHandler = qInstallMessageHandler(recordDryRun);
}

void TestRetentionSweeper::cleanup()
{
    qInstallMessageHandler(previousHandler);
    m_media.reset();
    m_testDb.reset();
}

QString TestRetentionSweeper::writeFile(const QString &name, qint64 size,
                                        const QDateTime &modified)
{
    const QString path = QDir(m_media->path()).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray(size, 'x')) != size)
        qFatal("cannot write %s", qPrintable(path));
    // Flushed first: bytes written after setFileTime() would move the time to now again.
    if (modified.isValid()
        && (!file.flush() || !file.setFileTime(modified, QFileDevice::FileModificationTime)))
        qFatal("cannot set the time of %s", qPrintable(path));
    return path;
}

QSqlQuery TestRetentionSweeper::sql(const QString &statement, const QVariantList &values)
{
    QSqlQuery query(m_testDb->database().connection());
    query.prepare(statement);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        qFatal("%s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
    return query;
}

void TestRetentionSweeper::addRow(const QString &channel, const QString &id, int daysOld,
                                  VodState state, const QString &path)
{
    StoreError error;
    if (!VodStore(m_testDb->database())
                 .upsertDiscovered(channel, {{id, id, t0.addDays(-daysOld), 60}}, &error)) {
        qFatal("seed %s: %s", qPrintable(id), qPrintable(error.message));
    }
    // Fixtures by hand: the schema's trigger keeps processed in step with the state.
    sql(u"UPDATE vods SET state = ?, downloaded_path = ?, download_state = 'complete' "
        "WHERE twitch_vod_id = ?"_s,
        {toText(state), VodSql::text(path), id});
}

VodRecord TestRetentionSweeper::row(const QString &id)
{
    StoreError error;
    const std::optional<VodRecord> found = VodStore(m_testDb->database()).get(id, &error);
    if (!found)
        qFatal("get %s: %s", qPrintable(id), qPrintable(error.message));
    return *found;
}

void TestRetentionSweeper::seedScenario17()
{
    for (const int days : {1, 3, 10, 20, 40}) {
        const QString id = u"d%1"_s.arg(days);
        addRow(alice, id, days, days == 20 ? VodState::Done : VodState::DoneNoUpload,
               writeFile(u"twitch_%1.mp4"_s.arg(id), 1000 + days));
    }
    addRow(alice, u"u30"_s, 30, VodState::Downloaded, writeFile(u"twitch_u30.mp4"_s));
    addRow(alice, u"gone50"_s, 50, VodState::DoneNoUpload,
           QDir(m_media->path()).filePath(u"twitch_gone50.mp4"_s));
    addRow(u"bob"_s, u"bob40"_s, 40, VodState::DoneNoUpload, writeFile(u"twitch_bob40.mp4"_s));
    sql(u"INSERT INTO chat_messages (channel, vod_id, username, message, abs_timestamp, "
        "rel_timestamp) VALUES ('alice', 'd40', 'viewer1', 'gg', ?, 12.5)"_s,
        {VodSql::timestamp(t0.addDays(-40))});
}

void TestRetentionSweeper::scenario17KeepDays()
{
    seedScenario17();
    StoreError error;
    const std::optional<RetentionReport> report =
            sweeper({7, 0, false, 0ms}).sweep(t0, &error);
    QVERIFY2(report, qPrintable(error.message));
    QCOMPARE(report->cleaned, 3);
    QCOMPARE(report->missing, 1);
    QCOMPARE(report->errors, 0);
    QCOMPARE(report->bytesFreed, 1010 + 1020 + 1040);
    const QString dir = m_media->path();
    QCOMPARE(report->files,
             (QStringList{dir + u"/twitch_gone50.mp4"_s, dir + u"/twitch_d40.mp4"_s,
                          dir + u"/twitch_d20.mp4"_s, dir + u"/twitch_d10.mp4"_s}));
    for (const QString &id : {u"d10"_s, u"d20"_s, u"d40"_s, u"gone50"_s}) {
        QVERIFY2(!QFile::exists(dir + u"/twitch_%1.mp4"_s.arg(id)), qPrintable(id));
        const VodRecord vod = row(id);
        QVERIFY(vod.downloadedPath.isEmpty());
        QVERIFY(vod.processed); // the row stays as it was otherwise
    }
    QCOMPARE(row(u"d20"_s).state, VodState::Done);
    for (const QString &id : {u"d1"_s, u"d3"_s, u"u30"_s}) {
        QVERIFY2(QFile::exists(dir + u"/twitch_%1.mp4"_s.arg(id)), qPrintable(id));
        QCOMPARE(row(id).downloadedPath, dir + u"/twitch_%1.mp4"_s.arg(id));
    }
    // Another channel's file in the same directory, and the chat, stay.
    QVERIFY(QFile::exists(dir + u"/twitch_bob40.mp4"_s));
    QVERIFY(!row(u"bob40"_s).downloadedPath.isEmpty());
    QSqlQuery chat = sql(u"SELECT COUNT(*) FROM chat_messages WHERE vod_id = 'd40'"_s);
    QVERIFY(chat.next());
    QCOMPARE(chat.value(0).toInt(), 1);
    // A second sweep has nothing left to do.
    const RetentionReport again = *sweeper({7, 0, false, 0ms}).sweep(t0, &error);
    QCOMPARE(again.cleaned + again.missing + again.errors, 0);
    QVERIFY(dryRunLines.isEmpty());
}

void TestRetentionSweeper::scenario17DryRun()
{
    seedScenario17();
    StoreError error;
    const RetentionReport report = *sweeper({7, 0, true, 0ms}).sweep(t0, &error);
    QCOMPARE(report.cleaned, 4);
    QCOMPARE(report.files.size(), 4);
    QCOMPARE(dryRunLines.size(), 4);
    for (qsizetype n = 0; n < report.files.size(); ++n)
        QVERIFY2(dryRunLines.at(n).contains(report.files.at(n)), qPrintable(dryRunLines.at(n)));
    for (const QString &id : {u"d1"_s, u"d3"_s, u"d10"_s, u"d20"_s, u"d40"_s, u"u30"_s}) {
        QVERIFY2(QFile::exists(m_media->filePath(u"twitch_%1.mp4"_s.arg(id))), qPrintable(id));
        QVERIFY(!row(id).downloadedPath.isEmpty());
    }
    QVERIFY(!row(u"gone50"_s).downloadedPath.isEmpty());
}

void TestRetentionSweeper::keepCountAndTheUnion()
{
    seedScenario17();
    StoreError error;
    // The two newest of the channel by date are d1 and d3; days keep d10 as well.
    const RetentionReport report = *sweeper({15, 2, false, 0ms}).sweep(t0, &error);
    QCOMPARE(report.cleaned, 2);
    QVERIFY(QFile::exists(m_media->filePath(u"twitch_d10.mp4"_s)));
    QVERIFY(!QFile::exists(m_media->filePath(u"twitch_d20.mp4"_s)));
    QVERIFY(!QFile::exists(m_media->filePath(u"twitch_d40.mp4"_s)));
    // Count alone: only the newest row's file stays among the processed ones.
    const RetentionReport byCount = *sweeper({0, 1, false, 0ms}).sweep(t0, &error);
    QCOMPARE(byCount.cleaned, 2);
    QVERIFY(QFile::exists(m_media->filePath(u"twitch_d1.mp4"_s)));
    QVERIFY(!QFile::exists(m_media->filePath(u"twitch_d3.mp4"_s)));
    QVERIFY(QFile::exists(m_media->filePath(u"twitch_u30.mp4"_s)));
}

void TestRetentionSweeper::disabledPolicyKeepsEverything()
{
    seedScenario17();
    StoreError error;
    const RetentionReport report = *sweeper({0, 0, false, 0ms}).sweep(t0, &error);
    QVERIFY(report.files.isEmpty());
    QVERIFY(QFile::exists(m_media->filePath(u"twitch_d40.mp4"_s)));
    QVERIFY(!row(u"gone50"_s).downloadedPath.isEmpty());
}

void TestRetentionSweeper::tempCleanupTouchesOnlyStaleFilesOfTheChannel()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime stale = now.addDays(-2);
    addRow(alice, u"v1"_s, 3, VodState::FailedRetry, {});
    addRow(alice, u"v2"_s, 2, VodState::Downloading, {});
    addRow(alice, u"v3"_s, 1, VodState::Queued, {});
    addRow(u"bob"_s, u"b1"_s, 1, VodState::Queued, {});
    const QString removed1 = writeFile(u"twitch_v1.mp4.part"_s, 4096, stale);
    const QString removed2 = writeFile(u"twitch_v1.mp4.part-Frag3"_s, 100, stale);
    const QStringList kept{
            writeFile(u"twitch_v1.mp4"_s, 10, stale),           // media, not a temp file
            writeFile(u"twitch_v2.mp4.part"_s, 10, stale),      // being downloaded: resumes
            writeFile(u"twitch_v3.mp4.part"_s, 10, now.addSecs(-60)), // fresh
            writeFile(u"twitch_b1.mp4.part"_s, 10, stale),      // bob's
            writeFile(u"twitch_nobody.mp4.part"_s, 10, stale),  // no such VOD
            writeFile(u"notes.tmp"_s, 10, stale),               // not a VOD's file
    };
    StoreError error;
    // With no DATA_CLEANUP_MAX_AGE nothing is removed.
    QVERIFY(sweeper({7, 0, false, 0ms})
                    .cleanTempFiles(m_media->path(), now, &error)
                    ->files.isEmpty());
    const RetentionPolicy policy{0, 0, false, 24h};
    const std::optional<TempCleanupReport> report =
            sweeper(policy).cleanTempFiles(m_media->path(), now, &error);
    QVERIFY2(report, qPrintable(error.message));
    QCOMPARE(report->removed, 2);
    QCOMPARE(report->bytesFreed, 4196);
    QCOMPARE(report->errors, 0);
    QVERIFY(!QFile::exists(removed1));
    QVERIFY(!QFile::exists(removed2));
    for (const QString &path : kept)
        QVERIFY2(QFile::exists(path), qPrintable(path));
    QCOMPARE(sweeper(policy).cleanTempFiles(m_media->filePath(u"missing"_s), now, &error)
                     ->removed,
             0);
}

void TestRetentionSweeper::fileNames()
{
    QCOMPARE(RetentionSweeper::vodIdOfFile(u"twitch_2080512345.mp4"_s), u"2080512345"_s);
    QCOMPARE(RetentionSweeper::vodIdOfFile(u"twitch_v1.mp4.part-Frag12"_s), u"v1"_s);
    QCOMPARE(RetentionSweeper::vodIdOfFile(u"twitch_.mp4"_s), QString());
    QCOMPARE(RetentionSweeper::vodIdOfFile(u"youtube_1.mp4"_s), QString());
    QCOMPARE(RetentionSweeper::vodIdOfFile(u"twitch_1"_s), QString());
    QVERIFY(RetentionSweeper::isTempFile(u"twitch_1.mp4.part"_s));
    QVERIFY(RetentionSweeper::isTempFile(u"twitch_1.mp4.ytdl"_s));
    QVERIFY(RetentionSweeper::isTempFile(u"twitch_1.temp.mp4.tmp"_s));
    QVERIFY(RetentionSweeper::isTempFile(u"twitch_1.mp4.part-Frag7"_s));
    QVERIFY(!RetentionSweeper::isTempFile(u"twitch_1.mp4"_s));
    QVERIFY(!RetentionSweeper::isTempFile(u"twitch_1.partial.mp4"_s));
}

QTEST_GUILESS_MAIN(TestRetentionSweeper)
#include "retentionsweeper.moc"
