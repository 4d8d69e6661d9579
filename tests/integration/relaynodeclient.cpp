// The relay protocol from outside our own code: Node's `ws` client (tests/external/relay-client)
// against a real `pitwall --daemon`, so a misreading of the protocol shared by our parser and
// our test client cannot hide.
#include "daemonprocess.h"
#include "testdatabase.h"
#include "toolrun.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class RelayNodeClientTest final : public QObject
{
    Q_OBJECT

private slots:
    void nodeClientSpeaksTheProtocol()
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        QVERIFY2(!node.isEmpty(), "node is not installed (installer/install-deps.sh --test)");
        const QDir client(QStringLiteral(PITWALL_SOURCE_DIR "/tests/external/relay-client"));
        QVERIFY2(QFileInfo(client.filePath(u"node_modules/ws/package.json"_s)).isFile(),
                 "the client's packages are missing: run `npm ci` in tests/external/relay-client "
                 "(tests/run-all.sh does)");

        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        if (!database.url().isEmpty())
            daemon.setEnv(u"DATABASE_URL"_s, database.url());
        QVERIFY2(daemon.start(), daemon.output().constData());
        QTRY_VERIFY_WITH_TIMEOUT(daemon.output().contains("relay ready"), 20000);

        qputenv("PITWALL_URL", daemon.url(QString()).toUtf8());
        const ToolRun run = ToolRun::run(node, {u"--test"_s, client.filePath(u"relay.test.mjs"_s)},
                                         std::chrono::minutes(2));
        QVERIFY2(run.ok(), run.describe(u"node --test relay.test.mjs"_s).constData());
        QVERIFY2(run.out.contains(u"# fail 0"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"# pass 6"_s), qPrintable(run.out));
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(RelayNodeClientTest)
#include "relaynodeclient.moc"
