// WalCheckpointer on a real SQLite file, with SQLite's own checkpoints off as the engine host
// runs it: past its limit it empties the write-ahead log; a reader that keeps its snapshot in
// the log is waited for (the busy timeout), counted as busy, and the next check empties it.
#include "core/db/database.h"
#include "core/db/databasesettings.h"
#include "core/db/walcheckpointer.h"
#include "core/metrics/metricsregistry.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using namespace std::chrono_literals;

namespace {

constexpr qint64 Limit = 256 * 1024;

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    qWarning("%s failed: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return false;
}

QVariant scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next()) {
        qWarning("%s failed: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return {};
    }
    return query.value(0);
}

// Rows of 4 KiB, one transaction each, as the relay commits its batches.
bool writeRows(const QSqlDatabase &db, int rows)
{
    for (int i = 0; i < rows; ++i) {
        if (!exec(db, u"INSERT INTO blobs (payload) VALUES (randomblob(4096))"_s))
            return false;
    }
    return true;
}

} // namespace

class WalCheckpointerTest final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QString error;
        auto settings = DatabaseSettings::parse(u"sqlite://"_s + m_dir->path() + u"/wal.db"_s,
                                                {}, &error);
        QVERIFY2(settings, qPrintable(error));
        settings->setWalAutoCheckpoint(false);
        settings->setBusyTimeout(100ms);
        m_settings = *settings;
        m_walPath = settings->sqlitePath() + u"-wal"_s;
        m_database = std::make_unique<Database>(m_settings);
        m_db = m_database->connection(&error);
        QVERIFY2(m_db.isOpen(), qPrintable(error));
        QCOMPARE(scalar(m_db, u"PRAGMA wal_autocheckpoint"_s).toInt(), 0);
        QVERIFY(exec(m_db, u"CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload BLOB)"_s));
        QVERIFY(writeRows(m_db, 200));
        m_metrics = std::make_unique<MetricsRegistry>();
    }

    void cleanup()
    {
        m_db = {};
        m_database.reset();
        m_metrics.reset();
        m_dir.reset();
    }

    void emptiesTheLogPastItsLimit()
    {
        const qint64 grown = walBytes();
        QVERIFY2(grown > 2 * Limit, qPrintable(QString::number(grown)));
        WalCheckpointer checkpointer(*m_database, *m_metrics, 1s, Limit);
        QSignalSpy checkpointed(&checkpointer, &WalCheckpointer::checkpointed);
        checkpointer.check();
        QCOMPARE(checkpointed.count(), 1);
        QCOMPARE(checkpointed.at(0).at(0).toBool(), true);
        QCOMPARE(checkpointed.at(0).at(1).toLongLong(), grown);
        QCOMPARE(walBytes(), 0);
        QCOMPARE(scalar(m_db, u"SELECT count(*) FROM blobs"_s).toInt(), 200);
        const QByteArray rendered = m_metrics->render();
        QVERIFY2(rendered.contains("pitwall_db_wal_checkpoints_total{result=\"done\"} 1\n"),
                 rendered.constData());
        QVERIFY2(rendered.contains("pitwall_db_wal_bytes 0\n"), rendered.constData());

        // Under the limit nothing runs; the gauge follows the log.
        QVERIFY(writeRows(m_db, 10));
        checkpointer.check();
        QCOMPARE(checkpointed.count(), 1);
        QVERIFY(m_metrics->render().contains(
                "pitwall_db_wal_bytes " + QByteArray::number(walBytes()) + '\n'));
    }

    void readerOnTheLogIsWaitedForThenEmptied()
    {
        // A reader whose snapshot lies in the log, as a receiver's replay query has it.
        Database readerDatabase(m_settings, u"reader"_s);
        QString error;
        QSqlDatabase readerDb = readerDatabase.connection(&error);
        QVERIFY2(readerDb.isOpen(), qPrintable(error));
        QVERIFY(exec(readerDb, u"BEGIN"_s));
        QCOMPARE(scalar(readerDb, u"SELECT count(*) FROM blobs"_s).toInt(), 200);
        QVERIFY(writeRows(m_db, 10));

        WalCheckpointer checkpointer(*m_database, *m_metrics, 1s, Limit);
        QSignalSpy checkpointed(&checkpointer, &WalCheckpointer::checkpointed);
        checkpointer.check();
        QCOMPARE(checkpointed.count(), 1);
        QCOMPARE(checkpointed.at(0).at(0).toBool(), false);
        QVERIFY(walBytes() > Limit);
        QVERIFY(m_metrics->render().contains(
                "pitwall_db_wal_checkpoints_total{result=\"busy\"} 1\n"));

        QVERIFY(exec(readerDb, u"COMMIT"_s));
        checkpointer.check();
        QCOMPARE(checkpointed.count(), 2);
        QCOMPARE(checkpointed.at(1).at(0).toBool(), true);
        QCOMPARE(walBytes(), 0);
        QCOMPARE(scalar(readerDb, u"SELECT count(*) FROM blobs"_s).toInt(), 210);
    }

    void checksOnItsTimer()
    {
        WalCheckpointer checkpointer(*m_database, *m_metrics, 20ms, Limit);
        QSignalSpy checkpointed(&checkpointer, &WalCheckpointer::checkpointed);
        QTest::qWait(100);
        QCOMPARE(checkpointed.count(), 0); // not started
        checkpointer.start();
        QTRY_COMPARE(checkpointed.count(), 1);
        QCOMPARE(walBytes(), 0);
    }

private:
    qint64 walBytes() const { return QFileInfo(m_walPath).size(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    DatabaseSettings m_settings;
    QString m_walPath;
    std::unique_ptr<Database> m_database;
    QSqlDatabase m_db;
    std::unique_ptr<MetricsRegistry> m_metrics;
};

QTEST_GUILESS_MAIN(WalCheckpointerTest)
#include "walcheckpointer.moc"
