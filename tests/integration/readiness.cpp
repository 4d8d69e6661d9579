// /readyz while PostgreSQL is down at start, comes up, goes away and comes back: the daemon
// keeps running, says why it is not ready, and recovers by itself.
#include "daemonprocess.h"
#include "httpclient.h"
#include "postgrescluster.h"

#include <QJsonObject>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class ReadinessTest final : public QObject
{
    Q_OBJECT

private slots:
    void followsPostgresAvailability()
    {
        if (!PostgresCluster::serverAvailable())
            QFAIL("PostgreSQL server binaries missing (installer/install-deps.sh --test)");
        PostgresCluster cluster;
        QString error;
        // Initialise once, then stop: the daemon must start while the server is down.
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QVERIFY2(cluster.stop(&error), qPrintable(error));

        DaemonProcess daemon;
        daemon.setEnv(u"DATABASE_URL"_s, cluster.url() + u"?connect_timeout=2"_s);
        daemon.setEnv(u"DATABASE_RETRY_MAX_BACKOFF"_s, u"1s"_s);
        QVERIFY2(daemon.start(), daemon.output().constData());

        const auto readyStatus = [&daemon] {
            return HttpClient::get(daemon.url(u"/readyz"_s)).status;
        };
        const HttpReply down = HttpClient::get(daemon.url(u"/readyz"_s));
        const QJsonObject body = down.json().object();
        QCOMPARE(down.status, 503);
        QCOMPARE(body[u"status"_s].toString(), u"not_ready"_s);
        QCOMPARE(body[u"failed_check"_s].toString(), u"database"_s);
        QVERIFY2(!body[u"error"_s].toString().isEmpty(), QJsonDocument(body).toJson().constData());
        QCOMPARE(HttpClient::get(daemon.url(u"/healthz"_s)).status, 200); // alive all the same

        QVERIFY2(cluster.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(), 200, 30000);
        QCOMPARE(HttpClient::get(daemon.url(u"/readyz"_s)).json()[u"status"_s].toString(),
                 u"ready"_s);

        QVERIFY2(cluster.stop(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(), 503, 30000);
        QVERIFY(daemon.isRunning());

        QVERIFY2(cluster.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(), 200, 30000);

        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void sigtermWhileDatabaseIsDownStillExitsZero()
    {
        PostgresCluster cluster;
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        QVERIFY2(cluster.stop(&error), qPrintable(error));
        DaemonProcess daemon;
        daemon.setEnv(u"DATABASE_URL"_s, cluster.url() + u"?connect_timeout=2"_s);
        QVERIFY2(daemon.start(), daemon.output().constData());
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(ReadinessTest)
#include "readiness.moc"
