#include "core/db/database.h"
#include "core/db/migrationrunner.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using Versions = QList<int>;

namespace {

QVariant scalar(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return {};
    return query.value(0);
}

bool tableExists(QSqlDatabase db, const QString &table)
{
    QSqlQuery query(db);
    return query.exec(u"SELECT COUNT(*) FROM "_s + table);
}

Versions recordedVersions(QSqlDatabase db)
{
    Versions versions;
    QSqlQuery query(db);
    query.exec(u"SELECT version FROM schema_migrations ORDER BY version"_s);
    while (query.next())
        versions << query.value(0).toInt();
    return versions;
}

} // namespace

class TestMigrations final : public QObject
{
    Q_OBJECT

private slots:
    void embeddedFresh();
    void rerunIsNoOp();
    void brokenFileRollsBackOnlyThatFile();
    void badFileName_data();
    void badFileName();
    void duplicateVersion();
    void missingDirectory();
    void newerDatabaseRefused();
    void unknownVersionRefused();
    void triggersAndFunctions();
    void twoRunnersAtOnce();

private:
    // A migration directory inside the test database's scratch dir.
    static QString writeMigrations(TestDatabase &testDb, const QString &name,
                                   const QMap<QString, QString> &files);
};

QString TestMigrations::writeMigrations(TestDatabase &testDb, const QString &name,
                                        const QMap<QString, QString> &files)
{
    const QString dir = testDb.scratchDir() + u'/' + name;
    QDir().mkpath(dir);
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile file(dir + u'/' + it.key());
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(it.value().toUtf8());
    }
    return dir;
}

void TestMigrations::embeddedFresh()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QVERIFY(QFile::exists(u":/migrations/%1/0001_kv.sql"_s.arg(testDb.dialect().name())));
    QSqlDatabase db = testDb.database().connection();
    QString error;
    const auto applied = MigrationRunner().run(db, &error);
    QVERIFY2(applied, qPrintable(error));
    // Every embedded file of this dialect, in order: the list grows with each engine.
    Versions embedded;
    const QStringList files =
        QDir(u":/migrations/%1"_s.arg(testDb.dialect().name())).entryList(QDir::Files, QDir::Name);
    for (const QString &file : files)
        embedded.append(file.left(4).toInt());
    QVERIFY(embedded.size() >= 1 && embedded.constFirst() == 1);
    QCOMPARE(*applied, embedded);
    QCOMPARE(scalar(db, u"SELECT name FROM schema_migrations WHERE version = 1"_s).toString(),
             u"kv"_s);
    const QDateTime appliedAt =
            scalar(db, u"SELECT applied_at FROM schema_migrations WHERE version = 1"_s).toDateTime();
    QVERIFY2(qAbs(appliedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60,
             qPrintable(appliedAt.toString(Qt::ISODateWithMs)));

    // The kv table as the engines use it: channel defaults to '', updated_at to now.
    QSqlQuery query(db);
    QVERIFY2(query.exec(u"INSERT INTO kv (key, value) VALUES ('circuit_state', 'closed')"_s),
             qPrintable(query.lastError().text()));
    QCOMPARE(scalar(db, u"SELECT channel || '/' || value FROM kv"_s).toString(), u"/closed"_s);
    QVERIFY(scalar(db, u"SELECT updated_at FROM kv"_s).toDateTime().isValid());
    QVERIFY(!query.exec(u"INSERT INTO kv (key, value) VALUES ('circuit_state', 'open')"_s));
}

void TestMigrations::rerunIsNoOp()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString dir = writeMigrations(testDb, u"m"_s, {
        {u"0001_first.sql"_s, u"CREATE TABLE first (id INTEGER);"_s},
        {u"0002_second.sql"_s, u"INSERT INTO first VALUES (1);\nINSERT INTO first VALUES (2);"_s},
    });
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QCOMPARE(MigrationRunner(dir).run(db, &error), std::optional<Versions>(Versions{1, 2}));
    QCOMPARE(MigrationRunner(dir).run(db, &error), std::optional<Versions>(Versions{}));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM first"_s).toInt(), 2);

    // A new file in a later build is applied alone.
    writeMigrations(testDb, u"m"_s, {{u"0003_third.sql"_s, u"INSERT INTO first VALUES (3)"_s}});
    QCOMPARE(MigrationRunner(dir).run(db, &error), std::optional<Versions>(Versions{3}));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM first"_s).toInt(), 3);
    QCOMPARE(recordedVersions(db), Versions({1, 2, 3}));
}

void TestMigrations::brokenFileRollsBackOnlyThatFile()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString dir = writeMigrations(testDb, u"m"_s, {
        {u"0001_base.sql"_s, u"CREATE TABLE base (id INTEGER);"_s},
        {u"0002_relay.sql"_s, u"-- relay tables\nCREATE TABLE streams (id INTEGER);\n"
                              "INSERT INTO base VALUES (7);\n\n"
                              "INSERT INTO streams\n  SELECT id FROM no_such_table;\n"
                              "CREATE TABLE after_error (id INTEGER);\n"_s},
    });
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QVERIFY(!MigrationRunner(dir).run(db, &error));
    QVERIFY2(error.startsWith(u"migration 0002_relay.sql failed at line 5: "_s), qPrintable(error));
    QVERIFY2(error.contains(u"no_such_table"), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));

    QCOMPARE(recordedVersions(db), Versions{1});
    QVERIFY(tableExists(db, u"base"_s));
    QVERIFY(!tableExists(db, u"streams"_s));
    QVERIFY(!tableExists(db, u"after_error"_s));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM base"_s).toInt(), 0);

    // Fixed in the next build: applied then.
    writeMigrations(testDb, u"m"_s, {{u"0002_relay.sql"_s,
                                      u"CREATE TABLE streams (id INTEGER);"_s}});
    QCOMPARE(MigrationRunner(dir).run(db, &error), std::optional<Versions>(Versions{2}));
    QVERIFY(tableExists(db, u"streams"_s));
}

void TestMigrations::badFileName_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::newRow("short version") << u"001_x.sql"_s;
    QTest::newRow("dash") << u"0001-x.sql"_s;
    QTest::newRow("upper case") << u"0001_Kv.sql"_s;
    QTest::newRow("no name") << u"0001.sql"_s;
    QTest::newRow("other extension") << u"0001_x.txt"_s;
    QTest::newRow("stray file") << u"README"_s;
}

void TestMigrations::badFileName()
{
    QFETCH(QString, fileName);
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString dir = writeMigrations(testDb, u"m"_s, {
        {u"0001_ok.sql"_s, u"CREATE TABLE ok (id INTEGER);"_s},
        {fileName, u"CREATE TABLE bad (id INTEGER);"_s},
    });
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QVERIFY(!MigrationRunner(dir).run(db, &error));
    QCOMPARE(error, u"migration file name '%1' in %2 does not match NNNN_name.sql"_s.arg(fileName, dir));
    QVERIFY(!tableExists(db, u"ok"_s));
}

void TestMigrations::duplicateVersion()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString dir = writeMigrations(testDb, u"m"_s, {
        {u"0001_a.sql"_s, u"CREATE TABLE a (id INTEGER);"_s},
        {u"0001_b.sql"_s, u"CREATE TABLE b (id INTEGER);"_s},
    });
    QString error;
    QVERIFY(!MigrationRunner(dir).run(testDb.database().connection(), &error));
    QCOMPARE(error, u"migrations 0001_a.sql and 0001_b.sql have the same version 0001"_s);
}

void TestMigrations::missingDirectory()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString dir = testDb.scratchDir() + u"/nowhere"_s;
    QString error;
    QVERIFY(!MigrationRunner(dir).run(testDb.database().connection(), &error));
    QCOMPARE(error, u"migration directory '%1' does not exist"_s.arg(dir));
}

void TestMigrations::newerDatabaseRefused()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString newer = writeMigrations(testDb, u"newer"_s, {
        {u"0001_a.sql"_s, u"CREATE TABLE a (id INTEGER);"_s},
        {u"0002_b.sql"_s, u"CREATE TABLE b (id INTEGER);"_s},
        {u"0005_c.sql"_s, u"CREATE TABLE c (id INTEGER);"_s},
    });
    const QString older = writeMigrations(testDb, u"older"_s, {
        {u"0001_a.sql"_s, u"CREATE TABLE a (id INTEGER);"_s},
        {u"0002_b.sql"_s, u"CREATE TABLE b (id INTEGER);"_s},
    });
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QCOMPARE(MigrationRunner(newer).run(db, &error), std::optional<Versions>(Versions{1, 2, 5}));
    QVERIFY(!MigrationRunner(older).run(db, &error));
    QCOMPARE(error, u"database schema version 5 is newer than this build (max 2)"_s);
}

void TestMigrations::unknownVersionRefused()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString full = writeMigrations(testDb, u"full"_s, {
        {u"0001_a.sql"_s, u"CREATE TABLE a (id INTEGER);"_s},
        {u"0002_b.sql"_s, u"CREATE TABLE b (id INTEGER);"_s},
        {u"0003_c.sql"_s, u"CREATE TABLE c (id INTEGER);"_s},
    });
    const QString gap = writeMigrations(testDb, u"gap"_s, {
        {u"0001_a.sql"_s, u"CREATE TABLE a (id INTEGER);"_s},
        {u"0003_c.sql"_s, u"CREATE TABLE c (id INTEGER);"_s},
    });
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QVERIFY2(MigrationRunner(full).run(db, &error), qPrintable(error));
    QVERIFY(!MigrationRunner(gap).run(db, &error));
    QCOMPARE(error, u"database has migration version 2, which this build does not know"_s);
}

void TestMigrations::triggersAndFunctions()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    // What the relay's fan-out needs: a trigger whose body has its own statements.
    const QString trigger = testDb.dialect().isPostgres()
            ? u"CREATE FUNCTION count_event() RETURNS trigger AS $$\nBEGIN\n"
              "    UPDATE counters SET n = n + 1; -- one; two\n"
              "    PERFORM pg_notify('events', NEW.id::text);\n    RETURN NEW;\nEND;\n"
              "$$ LANGUAGE plpgsql;\n"
              "CREATE TRIGGER events_count AFTER INSERT ON events\n"
              "    FOR EACH ROW EXECUTE FUNCTION count_event();\n"_s
            : u"CREATE TRIGGER events_count AFTER INSERT ON events\nBEGIN\n"
              "    UPDATE counters SET n = n + 1; -- one; two\n"
              "    UPDATE counters SET n = CASE WHEN n > 100 THEN 0 ELSE n END;\nEND;\n"_s;
    const QString dir = writeMigrations(testDb, u"m"_s, {
        {u"0001_tables.sql"_s, u"CREATE TABLE events (id INTEGER);\n"
                               "CREATE TABLE counters (n INTEGER NOT NULL);\n"
                               "INSERT INTO counters VALUES (0);"_s},
        {u"0002_trigger.sql"_s, trigger},
    });
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QCOMPARE(MigrationRunner(dir).run(db, &error), std::optional<Versions>(Versions{1, 2}));
    QSqlQuery query(db);
    QVERIFY(query.exec(u"INSERT INTO events VALUES (1)"_s));
    QVERIFY(query.exec(u"INSERT INTO events VALUES (2)"_s));
    QCOMPARE(scalar(db, u"SELECT n FROM counters"_s).toInt(), 2);
}

void TestMigrations::twoRunnersAtOnce()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    // The first file takes a while, so the second runner arrives while it is being applied.
    const QString slow = testDb.dialect().isPostgres()
            ? u"CREATE TABLE a (id INTEGER);\nSELECT pg_sleep(0.5);\n"_s
            : u"CREATE TABLE a (id INTEGER);\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
              "SELECT i + 1 FROM n WHERE i < 300000) INSERT INTO a SELECT i FROM n;\n"_s;
    const QString dir = writeMigrations(testDb, u"m"_s, {
        {u"0001_slow.sql"_s, slow},
        {u"0002_b.sql"_s, u"CREATE TABLE b (id INTEGER);"_s},
        {u"0003_c.sql"_s, u"CREATE TABLE c (id INTEGER);\nINSERT INTO c VALUES (1);"_s},
    });

    Database &database = testDb.database();
    QSemaphore ready;
    QSemaphore go;
    struct Runner
    {
        std::unique_ptr<QThread> thread;
        std::optional<Versions> applied;
        QString error;
    };
    Runner runners[2];
    for (Runner &runner : runners) {
        runner.thread.reset(QThread::create([&] {
            QSqlDatabase db = database.connection(&runner.error);
            ready.release();
            go.acquire();
            if (db.isOpen())
                runner.applied = MigrationRunner(dir).run(db, &runner.error);
        }));
        runner.thread->start();
    }
    ready.acquire(2);
    go.release(2);
    for (Runner &runner : runners)
        QVERIFY(runner.thread->wait(60000));

    Versions all;
    for (const Runner &runner : runners) {
        QVERIFY2(runner.applied, qPrintable(runner.error));
        all += *runner.applied;
    }
    std::sort(all.begin(), all.end());
    QCOMPARE(all, Versions({1, 2, 3}));
    QSqlDatabase db = database.connection();
    QCOMPARE(recordedVersions(db), Versions({1, 2, 3}));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM c"_s).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "migrations.moc"
