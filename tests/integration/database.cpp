#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "core/db/migrationrunner.h"
#include "core/db/multirowinsert.h"
#include "core/db/transaction.h"
#include "testdatabase.h"

#include <QFile>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// Qt's complaints about connections used across threads or removed while a handle lives on.
QMutex threadWarningsMutex;
QStringList threadWarnings;
QtMessageHandler previousHandler = nullptr;

void recordThreadWarnings(QtMsgType type, const QMessageLogContext &context, const QString &msg)
{
    if (msg.contains(u"does not belong to the calling thread")
        || msg.contains(u"connection still in use")) {
        QMutexLocker locker(&threadWarningsMutex);
        threadWarnings << msg;
    }
    previousHandler(type, context, msg);
}

QVariant scalar(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next()) {
        qWarning("%s failed: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return {};
    }
    return query.value(0);
}

bool exec(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    qWarning("%s failed: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return false;
}

} // namespace

class TestDatabaseLayer final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void connectionSetUp();
    void closedConnectionReopens();
    void statementErrorIsNotConnectionError();
    void lostPostgresConnectionRecovers();
    void sqliteFileCannotBeOpened();
    void lockHeldElsewhereIsLockTimeout();
    void twoThreadsWriteConcurrently();
    void multiRowInsertBeyondBindLimit();
    void multiRowInsertRejectsWrongRow();
    void transactionRollsBackOnDestruction();
    void transactionCommitTwice();
    void kvUpsert();
};

void TestDatabaseLayer::init()
{
    threadWarnings.clear();
    previousHandler = qInstallMessageHandler(recordThreadWarnings);
}

void TestDatabaseLayer::cleanup()
{
    qInstallMessageHandler(previousHandler);
    QMutexLocker locker(&threadWarningsMutex);
    QVERIFY2(threadWarnings.isEmpty(), qPrintable(threadWarnings.join(u'\n')));
}

void TestDatabaseLayer::connectionSetUp()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    Database &database = testDb.database();
    QString error;
    QSqlDatabase db = database.connection(&error);
    QVERIFY2(db.isOpen(), qPrintable(error));
    QCOMPARE(db.connectionName(), database.connectionName());
    QVERIFY(db.connectionName().startsWith(u"test-"));
    QVERIFY(db.connectionName().endsWith(
            QString::number(reinterpret_cast<quintptr>(QThread::currentThreadId()), 16)));
    QVERIFY(database.ping(&error));

    if (database.dialect().isPostgres()) {
        QCOMPARE(scalar(db, u"SHOW application_name"_s).toString(), u"pitwall"_s);
    } else {
        QCOMPARE(scalar(db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(scalar(db, u"PRAGMA foreign_keys"_s).toInt(), 1);
        QCOMPARE(scalar(db, u"PRAGMA synchronous"_s).toInt(), 1); // NORMAL
        QCOMPARE(scalar(db, u"PRAGMA busy_timeout"_s).toInt(), 5000);
    }
    // The UTC "now" of the dialect reads back as a timestamp.
    const QDateTime now = scalar(db, u"SELECT "_s + database.dialect().nowExpression()).toDateTime();
    QVERIFY2(qAbs(now.secsTo(QDateTime::currentDateTimeUtc())) < 60, qPrintable(now.toString()));
}

void TestDatabaseLayer::closedConnectionReopens()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    Database &database = testDb.database();
    QVERIFY(database.connection().isOpen());
    database.closeConnection();
    QVERIFY(!QSqlDatabase::database(database.connectionName(), false).isOpen());
    QString error;
    QSqlDatabase db = database.connection(&error);
    QVERIFY2(db.isOpen(), qPrintable(error));
    QCOMPARE(scalar(db, u"SELECT 1"_s).toInt(), 1);
}

void TestDatabaseLayer::statementErrorIsNotConnectionError()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QSqlQuery query(testDb.database().connection());
    QVERIFY(!query.exec(u"SELECT * FROM no_such_table"_s));
    QVERIFY(!testDb.dialect().isConnectionError(query.lastError()));
    QVERIFY2(Dialect::errorText(query.lastError()).contains(u"no_such_table"),
             qPrintable(Dialect::errorText(query.lastError())));
    QVERIFY(!Dialect::errorText(query.lastError()).contains(u'\n'));
}

void TestDatabaseLayer::lostPostgresConnectionRecovers()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    if (!testDb.dialect().isPostgres())
        QSKIP("a server-side disconnect exists only on PostgreSQL");
    Database &database = testDb.database();
    const qint64 pid = scalar(database.connection(), u"SELECT pg_backend_pid()"_s).toLongLong();
    QVERIFY(pid > 0);

    // Another session ends ours, as a server restart or an idle-session killer would.
    QString error;
    const auto otherSettings = DatabaseSettings::parse(testDb.url(), {}, &error);
    QVERIFY2(otherSettings, qPrintable(error));
    {
        Database other(*otherSettings, u"killer"_s);
        QVERIFY(scalar(other.connection(), u"SELECT pg_terminate_backend(%1)"_s.arg(pid)).toBool());
    }
    {
        QSqlQuery query(database.connection());
        QVERIFY(!query.exec(u"SELECT 1"_s));
        QVERIFY2(database.dialect().isConnectionError(query.lastError()),
                 qPrintable(query.lastError().text()));
    }
    // The broken handle is noticed and replaced without anyone closing it.
    QSqlDatabase db = database.connection(&error);
    QVERIFY2(db.isOpen(), qPrintable(error));
    QVERIFY(scalar(db, u"SELECT pg_backend_pid()"_s).toLongLong() != pid);

    // ping() closes a connection that fails, so the next call reconnects.
    const qint64 second = scalar(db, u"SELECT pg_backend_pid()"_s).toLongLong();
    {
        Database other(*otherSettings, u"killer"_s);
        QVERIFY(scalar(other.connection(), u"SELECT pg_terminate_backend(%1)"_s.arg(second)).toBool());
    }
    QVERIFY(!database.ping(&error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!db.isOpen());
    QVERIFY2(database.ping(&error), qPrintable(error));
}

void TestDatabaseLayer::sqliteFileCannotBeOpened()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    if (testDb.dialect().isPostgres())
        QSKIP("file paths are SQLite's");
    // A regular file where a directory should be: no user, not even root, gets past that.
    const QString blocker = testDb.scratchDir() + u"/blocker"_s;
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString path = blocker + u"/sub/pitwall.db"_s;
    QString error;
    const auto settings = DatabaseSettings::parse(u"sqlite://"_s + path, {}, &error);
    QVERIFY2(settings, qPrintable(error));
    Database database(*settings);
    QVERIFY(!database.connection(&error).isOpen());
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!database.ping(&error));
    QVERIFY2(error.startsWith(u"cannot open SQLite database"), qPrintable(error));
}

void TestDatabaseLayer::lockHeldElsewhereIsLockTimeout()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QString error;
    auto settings = DatabaseSettings::parse(testDb.url(), {}, &error);
    QVERIFY2(settings, qPrintable(error));
    settings->setBusyTimeout(std::chrono::milliseconds(100));
    Database holder(*settings, u"holder"_s);
    Database waiter(*settings, u"waiter"_s);
    QSqlDatabase held = holder.connection(&error);
    QVERIFY2(held.isOpen(), qPrintable(error));
    QSqlDatabase waiting = waiter.connection(&error);
    QVERIFY2(waiting.isOpen(), qPrintable(error));
    const Dialect dialect = testDb.dialect();

    if (dialect.isPostgres()) {
        // Another session's lock outlasts lock_timeout: 55P03, not a lost connection.
        QVERIFY(exec(held, u"SELECT pg_advisory_lock(724101)"_s));
        QVERIFY(exec(waiting, u"SET lock_timeout = '100ms'"_s));
        QSqlQuery query(waiting);
        QVERIFY(!query.exec(u"SELECT pg_advisory_lock(724101)"_s));
        QCOMPARE(query.lastError().nativeErrorCode(), u"55P03"_s);
        QVERIFY(dialect.isLockTimeout(query.lastError()));
        QVERIFY(!dialect.isConnectionError(query.lastError()));
        QVERIFY(exec(held, u"SELECT pg_advisory_unlock(724101)"_s));
        QVERIFY(exec(waiting, u"SELECT pg_advisory_lock(724101)"_s));
        QVERIFY(exec(waiting, u"SELECT pg_advisory_unlock(724101)"_s));
        return;
    }
    // Another connection holds SQLite's write lock past busy_timeout: BEGIN IMMEDIATE fails
    // with SQLITE_BUSY, and so does a write outside a transaction.
    QVERIFY(exec(held, u"BEGIN IMMEDIATE"_s));
    {
        Transaction tx(waiting);
        QVERIFY(!tx.isActive());
        QVERIFY(tx.lockTimedOut());
        QVERIFY2(tx.error().contains(u"locked"_s), qPrintable(tx.error()));
    }
    QSqlQuery query(waiting);
    QVERIFY(!query.exec(u"CREATE TABLE lock_probe (id INTEGER)"_s));
    QVERIFY2(dialect.isLockTimeout(query.lastError()), qPrintable(query.lastError().text()));
    QVERIFY(!dialect.isConnectionError(query.lastError()));
    // The statements that fail for any other reason are not mistaken for it.
    QVERIFY(!query.exec(u"SELECT * FROM no_such_table"_s));
    QVERIFY(!dialect.isLockTimeout(query.lastError()));

    QVERIFY(exec(held, u"ROLLBACK"_s));
    Transaction tx(waiting);
    QVERIFY2(tx.isActive(), qPrintable(tx.error()));
    QVERIFY(!tx.lockTimedOut());
}

void TestDatabaseLayer::twoThreadsWriteConcurrently()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    Database &database = testDb.database();
    QVERIFY(exec(database.connection(), u"CREATE TABLE writes (worker INTEGER NOT NULL, n INTEGER NOT NULL)"_s));
    const QString mainName = database.connectionName();

    constexpr int transactions = 100;
    constexpr int rowsPerTransaction = 5;
    struct Worker
    {
        std::unique_ptr<QThread> thread;
        QString connectionName;
        QString error;
    };
    Worker workers[2];
    for (int w = 0; w < 2; ++w) {
        Worker &worker = workers[w];
        worker.thread.reset(QThread::create([&database, &worker, w] {
            worker.connectionName = database.connectionName();
            for (int t = 0; t < transactions && worker.error.isEmpty(); ++t) {
                QSqlDatabase db = database.connection(&worker.error);
                if (!db.isOpen())
                    return;
                Transaction tx(db);
                if (!tx.isActive()) {
                    worker.error = tx.error();
                    return;
                }
                QSqlQuery query(db);
                query.prepare(u"INSERT INTO writes (worker, n) VALUES (?, ?)"_s);
                for (int r = 0; r < rowsPerTransaction; ++r) {
                    query.addBindValue(w);
                    query.addBindValue(t * rowsPerTransaction + r);
                    if (!query.exec()) {
                        worker.error = query.lastError().text();
                        return;
                    }
                }
                query.finish();
                if (!tx.commit())
                    worker.error = tx.error();
            }
        }));
    }
    for (Worker &worker : workers)
        worker.thread->start();
    for (Worker &worker : workers)
        QVERIFY(worker.thread->wait(60000));

    for (const Worker &worker : workers) {
        QVERIFY2(worker.error.isEmpty(), qPrintable(worker.error));
        QVERIFY(worker.connectionName != mainName);
        // Removed when the thread finished, before wait() returned.
        QVERIFY2(!QSqlDatabase::contains(worker.connectionName), qPrintable(worker.connectionName));
    }
    QVERIFY(workers[0].connectionName != workers[1].connectionName);
    QSqlDatabase db = database.connection();
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM writes"_s).toInt(), 2 * transactions * rowsPerTransaction);
    QCOMPARE(scalar(db, u"SELECT COUNT(DISTINCT n) FROM writes WHERE worker = 1"_s).toInt(),
             transactions * rowsPerTransaction);
}

void TestDatabaseLayer::multiRowInsertBeyondBindLimit()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QSqlDatabase db = testDb.database().connection();
    QVERIFY(exec(db, u"CREATE TABLE reads (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)"_s));

    // 2 columns x 40000 rows = 80000 parameters: over both dialects' limit per statement.
    constexpr int rows = 40000;
    QVERIFY(2 * rows > testDb.dialect().maxBindParameters());
    MultiRowInsert insert(u"reads"_s, {u"seq"_s, u"line"_s});
    for (int seq = 0; seq < rows; ++seq)
        QVERIFY(insert.addRow({seq, u"aa%1"_s.arg(seq)}));
    QCOMPARE(insert.rowCount(), rows);
    QString error;
    {
        Transaction tx(db);
        QVERIFY2(insert.exec(db, &error), qPrintable(error));
        QVERIFY2(tx.commit(), qPrintable(tx.error()));
    }
    QCOMPARE(insert.rowsAffected(), rows);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM reads"_s).toInt(), rows);
    QCOMPARE(scalar(db, u"SELECT line FROM reads WHERE seq = 39999"_s).toString(), u"aa39999"_s);

    // Overlapping rows with a conflict clause: only the new ones count.
    MultiRowInsert again(u"reads"_s, {u"seq"_s, u"line"_s}, u"ON CONFLICT DO NOTHING"_s);
    for (int seq = rows - 10; seq < rows + 15; ++seq)
        QVERIFY(again.addRow({seq, u"new"_s}));
    QVERIFY2(again.exec(db, &error), qPrintable(error));
    QCOMPARE(again.rowsAffected(), 15);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM reads WHERE line = 'new'"_s).toInt(), 15);

    // Without the clause the duplicate is the database's error, reported as text.
    MultiRowInsert duplicate(u"reads"_s, {u"seq"_s, u"line"_s});
    QVERIFY(duplicate.addRow({1, u"dup"_s}));
    QVERIFY(!duplicate.exec(db, &error));
    QVERIFY(!error.isEmpty());
}

void TestDatabaseLayer::multiRowInsertRejectsWrongRow()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QSqlDatabase db = testDb.database().connection();
    QVERIFY(exec(db, u"CREATE TABLE pairs (a INTEGER, b INTEGER)"_s));
    MultiRowInsert insert(u"pairs"_s, {u"a"_s, u"b"_s});
    QVERIFY(insert.addRow({1, 2}));
    QVERIFY(!insert.addRow({3}));
    QString error;
    QVERIFY(!insert.exec(db, &error));
    QCOMPARE(error, u"row 2 for pairs has 1 values, expected 2"_s);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM pairs"_s).toInt(), 0);

    insert.clear();
    QVERIFY(insert.addRow({3, 4}));
    QVERIFY2(insert.exec(db, &error), qPrintable(error));
    QCOMPARE(insert.rowsAffected(), 1);

    MultiRowInsert empty(u"pairs"_s, {u"a"_s, u"b"_s});
    QVERIFY2(empty.exec(db, &error), qPrintable(error));
    QCOMPARE(empty.rowsAffected(), 0);
}

void TestDatabaseLayer::transactionRollsBackOnDestruction()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QSqlDatabase db = testDb.database().connection();
    QVERIFY(exec(db, u"CREATE TABLE items (name TEXT)"_s));
    {
        Transaction tx(db);
        QVERIFY2(tx.isActive(), qPrintable(tx.error()));
        QVERIFY(exec(db, u"INSERT INTO items VALUES ('dropped')"_s));
    }
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM items"_s).toInt(), 0);
    {
        Transaction tx(db);
        QVERIFY(exec(db, u"INSERT INTO items VALUES ('kept')"_s));
        QVERIFY2(tx.commit(), qPrintable(tx.error()));
        QVERIFY(!tx.isActive());
    }
    QCOMPARE(scalar(db, u"SELECT name FROM items"_s).toString(), u"kept"_s);
    {
        Transaction tx(db);
        QVERIFY(exec(db, u"INSERT INTO items VALUES ('undone')"_s));
        QVERIFY2(tx.rollback(), qPrintable(tx.error()));
    }
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM items"_s).toInt(), 1);
}

void TestDatabaseLayer::transactionCommitTwice()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QSqlDatabase db = testDb.database().connection();
    Transaction tx(db);
    QVERIFY(tx.commit());
    QVERIFY(!tx.commit());
    QCOMPARE(tx.error(), u"no active transaction to commit"_s);

    // A BEGIN that fails is reported with the database's text.
    testDb.database().closeConnection();
    Transaction closed(db);
    QVERIFY(!closed.isActive());
    QVERIFY(!closed.error().isEmpty());
}

void TestDatabaseLayer::kvUpsert()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QSqlDatabase db = testDb.database().connection();
    QString error;
    QVERIFY2(MigrationRunner().run(db, &error), qPrintable(error));

    KvStore kv(db);
    QCOMPARE(kv.value(u"alpha"_s, u"circuit_state"_s, &error), std::nullopt);
    QVERIFY(error.isEmpty());
    QVERIFY2(kv.setValue(u"alpha"_s, u"circuit_state"_s, u"closed"_s, &error), qPrintable(error));
    QVERIFY2(kv.setValue(u"beta"_s, u"circuit_state"_s, u"open"_s, &error), qPrintable(error));
    QVERIFY2(kv.setValue(u""_s, u"cfg:LOG_LEVEL"_s, u"debug"_s, &error), qPrintable(error));
    const QString firstUpdate =
            scalar(db, u"SELECT updated_at FROM kv WHERE channel = 'alpha'"_s).toString();
    QTest::qWait(20);
    QVERIFY2(kv.setValue(u"alpha"_s, u"circuit_state"_s, u"half-open"_s, &error), qPrintable(error));

    QCOMPARE(kv.value(u"alpha"_s, u"circuit_state"_s), std::optional<QString>(u"half-open"_s));
    QCOMPARE(kv.value(u"beta"_s, u"circuit_state"_s), std::optional<QString>(u"open"_s));
    QCOMPARE(kv.value(u""_s, u"cfg:LOG_LEVEL"_s), std::optional<QString>(u"debug"_s));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM kv"_s).toInt(), 3);
    const QString secondUpdate =
            scalar(db, u"SELECT updated_at FROM kv WHERE channel = 'alpha'"_s).toString();
    QVERIFY2(secondUpdate > firstUpdate, qPrintable(firstUpdate + u" / "_s + secondUpdate));

    QVERIFY2(kv.remove(u"alpha"_s, u"circuit_state"_s, &error), qPrintable(error));
    QVERIFY(kv.remove(u"alpha"_s, u"circuit_state"_s, &error));
    QCOMPARE(kv.value(u"alpha"_s, u"circuit_state"_s), std::nullopt);
    QCOMPARE(kv.value(u"beta"_s, u"circuit_state"_s), std::optional<QString>(u"open"_s));

    // Failures come back as text, not as a missing value only.
    QVERIFY(exec(db, u"DROP TABLE kv"_s));
    QCOMPARE(kv.value(u"beta"_s, u"circuit_state"_s, &error), std::nullopt);
    QVERIFY(error.contains(u"kv"));
    QVERIFY(!kv.setValue(u"beta"_s, u"x"_s, u"y"_s, &error));
}

QTEST_GUILESS_MAIN(TestDatabaseLayer)
#include "database.moc"
