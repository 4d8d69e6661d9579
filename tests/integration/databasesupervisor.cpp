#include "core/db/database.h"
#include "core/db/databasesupervisor.h"
#include "postgrescluster.h"
#include "testdatabase.h"
#include "testenvironment.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using State = DatabaseStatus::State;

namespace {

constexpr int slowTimeout = 30000;

// Counts the supervisor's "retrying" warnings, to show it logs per state change, not per retry.
QMutex logMutex;
QStringList retryWarnings;
QtMessageHandler previousHandler = nullptr;

void recordRetryWarnings(QtMsgType type, const QMessageLogContext &context, const QString &msg)
{
    if (type == QtWarningMsg && qstrcmp(context.category, "pitwall.db") == 0
        && msg.contains(u"retrying")) {
        QMutexLocker locker(&logMutex);
        retryWarnings << msg;
    }
    previousHandler(type, context, msg);
}

int retryWarningCount()
{
    QMutexLocker locker(&logMutex);
    return int(retryWarnings.size());
}

// A supervisor in its own thread, as the app runs it, with short intervals.
class SupervisorThread final
{
public:
    explicit SupervisorThread(const Database &database, const QString &migrations = {})
        : m_supervisor(new DatabaseSupervisor(database, migrations))
    {
        m_supervisor->setTiming({std::chrono::milliseconds(50), std::chrono::milliseconds(400),
                                 std::chrono::milliseconds(100)});
        m_supervisor->moveToThread(&m_thread);
        m_thread.start();
    }

    ~SupervisorThread()
    {
        QMetaObject::invokeMethod(m_supervisor.get(), &DatabaseSupervisor::stop,
                                  Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    DatabaseSupervisor *supervisor() const { return m_supervisor.get(); }
    void start() { QMetaObject::invokeMethod(m_supervisor.get(), &DatabaseSupervisor::start); }

private:
    QThread m_thread;
    std::unique_ptr<DatabaseSupervisor> m_supervisor;
};

QList<State> states(const QSignalSpy &spy)
{
    QList<State> result;
    for (const QList<QVariant> &arguments : spy)
        result << arguments.at(0).value<DatabaseStatus>().state;
    return result;
}

} // namespace

class TestDatabaseSupervisor final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void postgresGoesAndComes();
    void sqliteFileAppears();
    void migrationFailureIsPermanent();
};

void TestDatabaseSupervisor::init()
{
    retryWarnings.clear();
    previousHandler = qInstallMessageHandler(recordRetryWarnings);
}

void TestDatabaseSupervisor::cleanup()
{
    qInstallMessageHandler(previousHandler);
}

void TestDatabaseSupervisor::postgresGoesAndComes()
{
    if (TestEnvironment::dialect() != u"postgres")
        QSKIP("the PostgreSQL variant runs its own server");
    if (!PostgresCluster::serverAvailable()) {
        if (TestEnvironment::postgresRequired())
            QFAIL("PostgreSQL server binaries not found (PITWALL_PG_BINDIR)");
        QSKIP("PostgreSQL server binaries not found (PITWALL_PG_BINDIR)");
    }
    PostgresCluster cluster;
    QString error;
    const auto settings = DatabaseSettings::parse(cluster.url(), {}, &error);
    QVERIFY2(settings, qPrintable(error));
    Database database(*settings);
    SupervisorThread thread(database);
    DatabaseSupervisor *supervisor = thread.supervisor();
    QSignalSpy spy(supervisor, &DatabaseSupervisor::statusChanged);
    QVERIFY(!supervisor->status().ready);

    // Nobody listens on the port yet.
    thread.start();
    QTRY_COMPARE(supervisor->status().state, State::Connecting);
    QTRY_VERIFY(!supervisor->status().reason.isEmpty());
    QVERIFY2(supervisor->status().reason.contains(u"refused", Qt::CaseInsensitive),
             qPrintable(supervisor->status().reason));
    QVERIFY(supervisor->status().since.isValid());
    QTest::qWait(1000); // several retries (50, 100, 200, 400 ms ...)
    QCOMPARE(supervisor->status().state, State::Connecting);
    QCOMPARE(retryWarningCount(), 1);

    QVERIFY2(cluster.start(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(supervisor->status().state, State::Ready, slowTimeout);
    QVERIFY(supervisor->status().ready);
    QVERIFY(supervisor->status().reason.isEmpty());
    {
        QSqlQuery query(database.connection());
        QVERIFY(query.exec(u"SELECT version FROM schema_migrations"_s) && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
    }
    database.closeConnection();

    QVERIFY2(cluster.stop(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(supervisor->status().state, State::Unavailable, slowTimeout);
    QVERIFY(!supervisor->status().ready);
    QVERIFY(!supervisor->status().reason.isEmpty());

    QVERIFY2(cluster.start(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(supervisor->status().state, State::Ready, slowTimeout);

    const QList<State> seen = states(spy);
    const qsizetype firstReady = seen.indexOf(State::Ready);
    const qsizetype unavailable = seen.indexOf(State::Unavailable);
    QVERIFY(seen.first() == State::Connecting);
    QVERIFY(firstReady > 0 && seen.at(firstReady - 1) == State::Migrating);
    QVERIFY(unavailable > firstReady);
    QCOMPARE(seen.last(), State::Ready);
    QVERIFY(!seen.contains(State::Failed));
}

void TestDatabaseSupervisor::sqliteFileAppears()
{
    if (TestEnvironment::dialect() != u"sqlite")
        QSKIP("file paths are SQLite's");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A regular file where the database's directory should be: even root cannot open it.
    const QString blocker = dir.filePath(u"data"_s);
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString path = blocker + u"/pitwall.db"_s;
    QString error;
    const auto settings = DatabaseSettings::parse(u"sqlite://"_s + path, {}, &error);
    QVERIFY2(settings, qPrintable(error));
    Database database(*settings);
    SupervisorThread thread(database);
    DatabaseSupervisor *supervisor = thread.supervisor();

    thread.start();
    QTRY_VERIFY(!supervisor->status().reason.isEmpty());
    QCOMPARE(supervisor->status().state, State::Connecting);
    QVERIFY(!supervisor->status().ready);
    QVERIFY2(supervisor->status().reason.contains(path), qPrintable(supervisor->status().reason));

    // The operator fixes the data directory; the next retry gets through.
    QVERIFY(QFile::remove(blocker));
    QTRY_COMPARE_WITH_TIMEOUT(supervisor->status().state, State::Ready, slowTimeout);
    QVERIFY(QFile::exists(path));
}

void TestDatabaseSupervisor::migrationFailureIsPermanent()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    const QString migrations = testDb.scratchDir() + u"/migrations"_s;
    QVERIFY(QDir().mkpath(migrations));
    QFile file(migrations + u"/0001_broken.sql"_s);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("CREATE TABLE fine (id INTEGER);\nCREATE TABLE broken (;\n");
    file.close();

    SupervisorThread thread(testDb.database(), migrations);
    DatabaseSupervisor *supervisor = thread.supervisor();
    QSignalSpy failed(supervisor, &DatabaseSupervisor::migrationFailed);
    QSignalSpy changed(supervisor, &DatabaseSupervisor::statusChanged);
    thread.start();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, slowTimeout);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.startsWith(u"migration 0001_broken.sql failed at line 2: "_s),
             qPrintable(message));
    const DatabaseStatus status = supervisor->status();
    QCOMPARE(status.state, State::Failed);
    QVERIFY(!status.ready);
    QCOMPARE(status.reason, message);

    // No further attempts: the state stays and nothing more is emitted.
    const qsizetype changes = changed.size();
    QTest::qWait(500);
    QCOMPARE(changed.size(), changes);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(DatabaseStatus::stateName(supervisor->status().state), u"failed"_s);
}

QTEST_GUILESS_MAIN(TestDatabaseSupervisor)
#include "databasesupervisor.moc"
