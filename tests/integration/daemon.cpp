// The daemon as an operator runs it: a real `pitwall --daemon` process with no display.
#include "daemonprocess.h"
#include "httpclient.h"
#include "testdatabase.h"
#include "testenvironment.h"
#include "toolrun.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class DaemonTest final : public QObject
{
    Q_OBJECT

private:
    // Points the daemon at this test's database (a fresh SQLite file or PostgreSQL database).
    static void useDatabase(DaemonProcess &daemon, const TestDatabase &database)
    {
        if (!database.url().isEmpty())
            daemon.setEnv(u"DATABASE_URL"_s, database.url());
    }

private slots:
    void startsWithoutDisplayAndStopsOnSigterm()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        useDatabase(daemon, database);
        QVERIFY2(daemon.start(), daemon.output().constData());

        const HttpReply health = HttpClient::get(daemon.url(u"/healthz"_s));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray("ok"));
        QVERIFY(!health.headers.value("x-correlation-id").isEmpty());

        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::get(daemon.url(u"/readyz"_s)).status, 200, 20000);
        const QJsonObject status = HttpClient::get(daemon.url(u"/status"_s)).json().object();
        QCOMPARE(status.value(u"database"_s)[u"dialect"_s].toString(), TestEnvironment::dialect());
        QCOMPARE(status.value(u"ready"_s).toBool(), true);
        QCOMPARE(status.value(u"version"_s).toString(), QStringLiteral(PITWALL_VERSION));

        QCOMPARE(daemon.stop(SIGTERM), 0);
        QVERIFY(daemon.output().contains("received SIGTERM, shutting down"));
        QVERIFY(daemon.output().contains("stopped"));
    }

    void sigintAlsoStopsCleanly()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        useDatabase(daemon, database);
        QVERIFY2(daemon.start(), daemon.output().constData());
        QCOMPARE(daemon.stop(SIGINT), 0);
    }

    void configErrorsExitWithTwoAndOneLine_data()
    {
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("level") << u"LOG_LEVEL"_s << u"loud"_s << QStringList()
                               << u"LOG_LEVEL=\"loud\" (environment): must be one of"_s;
        QTest::newRow("duration") << u"HTTP_REQUEST_TIMEOUT"_s << u"10x"_s << QStringList()
                                  << u"HTTP_REQUEST_TIMEOUT=\"10x\" (environment): must be a duration"_s;
        QTest::newRow("cli") << QString() << QString() << QStringList{u"--bind"_s, u"x"_s}
                             << u"--bind=\"x\" (command line): must be HOST:PORT"_s;
        QTest::newRow("secret") << u"DATABASE_URL"_s << u"mysql://root:hunter2secret@db/x"_s
                                << QStringList() << u"DATABASE_URL=\"***\" (environment)"_s;
        QTest::newRow("unknown option") << QString() << QString() << QStringList{u"--frobnicate"_s}
                                        << u"pitwall: Unknown option 'frobnicate'."_s;
    }

    void configErrorsExitWithTwoAndOneLine()
    {
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        DaemonProcess daemon;
        if (!envName.isEmpty())
            daemon.setEnv(envName, envValue);
        QCOMPARE(daemon.runToExit(QStringList{u"--daemon"_s} + args), 2);
        const QString output = QString::fromUtf8(daemon.output());
        QVERIFY2(output.contains(expected), qPrintable(output));
        QVERIFY2(!output.contains(u"hunter2secret"_s), qPrintable(output));
        QVERIFY2(output.trimmed().count(u'\n') <= 1, qPrintable(output)); // message (+ hint)
    }

    void versionAndHelpNeedNoDisplay()
    {
        DaemonProcess version;
        QCOMPARE(version.runToExit({u"--version"_s}), 0);
        QVERIFY2(version.output().contains(PITWALL_VERSION), version.output().constData());
        DaemonProcess help;
        QCOMPARE(help.runToExit({u"--help"_s}), 0);
        QVERIFY2(help.output().contains("--daemon"), help.output().constData());
    }

    void unknownYamlKeyIsRefused()
    {
        DaemonProcess daemon;
        const QString file = daemon.dataDir() + u"/pitwall.yaml"_s;
        QFile yaml(file);
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write("log_level: info\nbind_adress: 0.0.0.0:80\n");
        yaml.close();
        QCOMPARE(daemon.runToExit({u"--daemon"_s, u"--config"_s, file}), 2);
        QVERIFY2(daemon.output().contains(
                     "bind_adress=\"0.0.0.0:80\" (pitwall.yaml line 2): unknown key"),
                 daemon.output().constData());
    }

    void jsonLogsCarryCorrelationIdAndNoSecrets()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        useDatabase(daemon, database);
        const QString token = u"admin-token-0123456789abcdef"_s;
        daemon.setEnv(u"ADMIN_TOKEN"_s, token);
        daemon.setEnv(u"LOG_FORMAT"_s, u"json"_s);
        QVERIFY2(daemon.start(), daemon.output().constData());

        const HttpReply reply = HttpClient::get(daemon.url(u"/healthz"_s),
                                                {{"X-Correlation-ID", "trace-abc-123"}});
        QCOMPARE(reply.headers.value("x-correlation-id"), QByteArray("trace-abc-123"));
        QVERIFY(daemon.waitForOutput("\"corr\":\"trace-abc-123\""));
        // A request carrying the admin token must not leak it into the log either.
        QCOMPARE(HttpClient::get(daemon.url(u"/api/v1/logs"_s),
                                 {{"Authorization", "Bearer " + token.toUtf8()}}).status, 200);
        QCOMPARE(daemon.stop(SIGTERM), 0);

        const QList<QByteArray> lines = daemon.output().trimmed().split('\n');
        QVERIFY(lines.size() > 3);
        for (const QByteArray &line : lines) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            QVERIFY2(!entry.isEmpty(), line.constData());
            for (const char *key : {"ts", "level", "component", "msg"})
                QVERIFY2(entry.contains(QLatin1String(key)), line.constData());
        }
        QVERIFY(!daemon.output().contains(token.toUtf8()));
    }

    void adminRoutesNeedTokenWhenConfigured()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        useDatabase(daemon, database);
        const QByteArray token = "another-admin-token-0123456789";
        daemon.setEnv(u"ADMIN_TOKEN"_s, QString::fromLatin1(token));
        QVERIFY2(daemon.start(), daemon.output().constData());
        const QString logs = daemon.url(u"/api/v1/logs"_s);
        const HttpReply denied = HttpClient::get(logs);
        QCOMPARE(denied.status, 401);
        QCOMPARE(denied.json()[u"code"_s].toString(), u"UNAUTHORIZED"_s);
        QCOMPARE(HttpClient::get(logs, {{"X-Admin-Token", "wrong-token-0123456789"}}).status, 401);
        QCOMPARE(HttpClient::get(logs, {{"X-Admin-Token", token}}).status, 200);
        QCOMPARE(HttpClient::get(logs, {{"Authorization", "Bearer " + token}}).status, 200);
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void logsApiReadsSinceAnId()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        useDatabase(daemon, database);
        QVERIFY2(daemon.start(), daemon.output().constData());
        // No token configured: loopback clients are admins.
        const QJsonObject first = HttpClient::get(daemon.url(u"/api/v1/logs"_s)).json().object();
        const QJsonArray entries = first[u"entries"_s].toArray();
        QVERIFY(!entries.isEmpty());
        const qint64 lastId = first[u"last_id"_s].toInteger();
        QCOMPARE(entries.last()[u"id"_s].toInteger(), lastId);

        HttpClient::get(daemon.url(u"/healthz"_s));
        QTRY_VERIFY(!HttpClient::get(daemon.url(u"/api/v1/logs?since=%1"_s.arg(lastId)))
                         .json()[u"entries"_s].toArray().isEmpty());
        const QJsonArray newer = HttpClient::get(daemon.url(u"/api/v1/logs?since=%1"_s.arg(lastId)))
                                     .json()[u"entries"_s].toArray();
        for (const QJsonValue &entry : newer)
            QVERIFY(entry[u"id"_s].toInteger() > lastId);
        QCOMPARE(HttpClient::get(daemon.url(u"/api/v1/logs?limit=0"_s)).status, 400);
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void liveMetricsPassPromtool()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        useDatabase(daemon, database);
        QVERIFY2(daemon.start(), daemon.output().constData());
        HttpClient::get(daemon.url(u"/healthz"_s));
        HttpClient::get(daemon.url(u"/no/such/path"_s));
        const HttpReply metrics = HttpClient::get(daemon.url(u"/metrics"_s));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.headers.value("content-type").startsWith("text/plain; version=0.0.4"));
        QVERIFY(metrics.body.contains("pitwall_http_requests_total{method=\"GET\",code=\"200\"}"));
        QVERIFY(metrics.body.contains("pitwall_http_requests_total{method=\"GET\",code=\"404\"}"));
        QVERIFY(metrics.body.contains("process_resident_memory_bytes "));

        const ToolRun check = ToolRun::promtool(metrics.body);
        QVERIFY2(check.ok() && (check.out + check.err).trimmed().isEmpty(),
                 check.describe(u"promtool check metrics"_s).constData());
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void portInUseFailsWithReason()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess first;
        useDatabase(first, database);
        QVERIFY2(first.start(), first.output().constData());
        DaemonProcess second;
        useDatabase(second, database);
        const QString bind = u"127.0.0.1:%1"_s.arg(first.port());
        QCOMPARE(second.runToExit({u"--daemon"_s, u"--bind"_s, bind, u"--data-dir"_s,
                                   second.dataDir()}), 1);
        QVERIFY2(second.output().contains(bind.toUtf8()), second.output().constData());
        QCOMPARE(first.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(DaemonTest)
#include "daemon.moc"
