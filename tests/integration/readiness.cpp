// /readyz while PostgreSQL is down at start, comes up, goes away and comes back: the daemon
// keeps running, says why it is not ready, and recovers by itself.
#include "daemonprocess.h"
#include "httpclient.h"
#include "postgrescluster.h"

#include <QJsonObject>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

class ReadinessTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PostgresCluster> m_cluster;
    std::unique_ptr<DaemonProcess> m_daemon;

private slots:
    // Each test starts a daemon while its PostgreSQL server is down.
    void init()
    {
        if (!PostgresCluster::serverAvailable())
            QFAIL("PostgreSQL server binaries missing (installer/install-deps.sh --test)");
        m_cluster = std::make_unique<PostgresCluster>();
        QString error;
        QVERIFY2(m_cluster->start(&error), qPrintable(error)); // initdb once
        QVERIFY2(m_cluster->stop(&error), qPrintable(error));
        m_daemon = std::make_unique<DaemonProcess>();
        m_daemon->setEnv(u"DATABASE_URL"_s, m_cluster->url() + u"?connect_timeout=2"_s);
        m_daemon->setEnv(u"DATABASE_RETRY_MAX_BACKOFF"_s, u"1s"_s);
        QVERIFY2(m_daemon->start(), m_daemon->output().constData());
    }

    void cleanup()
    {
        m_daemon.reset();
        m_cluster.reset();
    }

    void followsPostgresAvailability()
    {
        QString error;
        const auto readyStatus = [this] {
            return HttpClient::get(m_daemon->url(u"/readyz"_s)).status;
        };
        const HttpReply down = HttpClient::get(m_daemon->url(u"/readyz"_s));
        const QJsonObject body = down.json().object();
        QCOMPARE(down.status, 503);
        QCOMPARE(body[u"status"_s].toString(), u"not_ready"_s);
        QCOMPARE(body[u"failed_check"_s].toString(), u"database"_s);
        QVERIFY2(!body[u"error"_s].toString().isEmpty(), QJsonDocument(body).toJson().constData());
        QCOMPARE(HttpClient::get(m_daemon->url(u"/healthz"_s)).status, 200); // alive all the same

        QVERIFY2(m_cluster->start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(), 200, 30000);
        QCOMPARE(HttpClient::get(m_daemon->url(u"/readyz"_s)).json()[u"status"_s].toString(),
                 u"ready"_s);

        QVERIFY2(m_cluster->stop(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(), 503, 30000);
        QVERIFY(m_daemon->isRunning());

        QVERIFY2(m_cluster->start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(readyStatus(), 200, 30000);

        QCOMPARE(m_daemon->stop(SIGTERM), 0);
    }

    void sigtermWhileDatabaseIsDownStillExitsZero()
    {
        QCOMPARE(m_daemon->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(ReadinessTest)
#include "readiness.moc"
