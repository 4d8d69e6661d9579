#include "core/config/configloader.h"
#include "core/db/databasesupervisor.h"
#include "core/enginehost.h"
#include "vod/chatstore.h"
#include "vod/vodengine.h"

#include "rawhttpclient.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// Shutdown of a host running the VOD engine while a chat SSE replay is open: the engine ends
// the stream before the HTTP server waits for idle connections, so the wait does not run into
// shutdown_timeout.
class VodShutdownTest final : public QObject
{
    Q_OBJECT

private slots:
    void openChatStreamDoesNotHoldShutdown();
};

void VodShutdownTest::openChatStreamDoesNotHoldShutdown()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    AppConfig config = ConfigLoader::defaults();
    config.dataDir = testDb.scratchDir();
    config.databaseUrl = testDb.url();
    config.bindPort = 0;
    config.shutdownTimeout = std::chrono::seconds(20);
    EngineHost host(config, nullptr);
    QString error;
    QVERIFY2(host.start(&error,
                        [&config](EngineHost &started) {
                            started.addEngine(std::make_unique<VodEngine>(
                                    started.database(), started.router(), started.metrics(),
                                    config.vod, config.nodeId));
                        }),
             qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(host.databaseSupervisor()->status().ready, 30000);

    ChatMessage message;
    message.channel = u"alice"_s;
    message.messageId = u"m1"_s;
    message.username = u"viewer1"_s;
    message.text = u"hello"_s;
    message.sentAt = QDateTime::currentDateTimeUtc();
    StoreError storeError;
    QCOMPARE(ChatStore(host.database()).insert({{0, u"v1"_s, 0, message}}, &storeError),
             std::optional<int>(1));

    // Caught up with the stored chat, the replay follows the VOD: it never ends by itself.
    RawHttpClient client;
    QVERIFY(client.connectTo(host.httpPort()));
    client.send("GET /vods/v1/chat/stream?speed=100 HTTP/1.1\r\nHost: test\r\n\r\n");
    QVERIFY(client.waitForData("text/event-stream"));
    QVERIFY(client.waitForData("hello"));

    QElapsedTimer clock;
    clock.start();
    host.stop();
    // Generous: a stream left open until the wait gives up would take all 20 s.
    QVERIFY2(clock.elapsed() < 10000, qPrintable(u"stop took %1 ms"_s.arg(clock.elapsed())));
    // Ended as a complete response, not cut off.
    QVERIFY(client.waitForData("\r\n0\r\n\r\n"));
}

QTEST_GUILESS_MAIN(VodShutdownTest)
#include "vodshutdown.moc"
