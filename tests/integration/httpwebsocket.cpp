#include "core/http/httpserver.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "rawhttpclient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <vector>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;

namespace {

const QByteArray UpgradeHeaders = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                  "Sec-WebSocket-Version: 13\r\n";

// Echoes text messages back with a prefix, on whatever thread the socket was moved to.
void echo(QWebSocket *socket, const QString &prefix)
{
    QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                     [socket, prefix](const QString &message) {
                         socket->sendTextMessage(prefix + message);
                     });
}

// Opens a client socket and waits for the outcome: true when connected.
bool open(QWebSocket &client, const QNetworkRequest &request)
{
    QSignalSpy connected(&client, &QWebSocket::connected);
    QSignalSpy failed(&client, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    client.open(request);
    QDeadlineTimer deadline(5000);
    while (connected.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
        QTest::qWait(10);
    return !connected.isEmpty();
}

QString roundTrip(QWebSocket &client, const QString &message)
{
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.sendTextMessage(message);
    if (!received.wait(5000))
        return {};
    return received.first().first().toString();
}

} // namespace

class HttpWebSocketTest : public QObject
{
    Q_OBJECT

private slots:
    void echoWithPathParamsAndHeaders()
    {
        HttpTestServer http;
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        HttpRequest upgrade;
        QVERIFY(http.router().addWebSocketRoute(
            u"/ws/echo/{room}"_s,
            [&](std::unique_ptr<QWebSocket> socket, const HttpRequest &request) {
                upgrade = request;
                echo(socket.get(), request.pathParams.value(u"room"_s) + u':');
                sockets.push_back(std::move(socket));
            }));
        QVERIFY(http.start());
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws/echo/lobby?v=2"_s.arg(http.port())));
        request.setRawHeader("X-Client", "tester");
        request.setRawHeader("X-Correlation-ID", "ws-1");
        QWebSocket client;
        QVERIFY(open(client, request));
        QCOMPARE(roundTrip(client, u"hi"_s), u"lobby:hi"_s);
        QCOMPARE(upgrade.path, u"/ws/echo/lobby"_s);
        QCOMPARE(upgrade.query.queryItemValue(u"v"_s), u"2"_s);
        QCOMPARE(upgrade.header("x-client"), QByteArray("tester"));
        QCOMPARE(upgrade.correlationId, u"ws-1"_s);
        QCOMPARE(upgrade.peerAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(http.observed().size(), 1);
        QCOMPARE(http.observed().first().status, 101);
    }

    void beforeUpgradeCanRefuse()
    {
        HttpTestServer http;
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        int checks = 0;
        QVERIFY(http.router().addWebSocketRoute(
            u"/ws/v1/forwarders"_s,
            [&sockets](std::unique_ptr<QWebSocket> socket, const HttpRequest &) {
                echo(socket.get(), u"ok:"_s);
                sockets.push_back(std::move(socket));
            },
            [&checks](const HttpRequest &request) -> std::optional<HttpResponse> {
                ++checks;
                if (request.header("Authorization") == "Bearer good")
                    return std::nullopt;
                HttpResponse refusal = HttpResponse::error(401, u"UNAUTHORIZED"_s, u"bad token"_s);
                refusal.setHeader("WWW-Authenticate", "Bearer");
                return refusal;
            }));
        QVERIFY(http.start());

        RawHttpClient raw;
        QVERIFY(raw.connectTo(http.port()));
        raw.send("GET /ws/v1/forwarders HTTP/1.1\r\n" + UpgradeHeaders
                 + "Authorization: Bearer bad\r\nX-Correlation-ID: fw-1\r\n\r\n");
        const QList<RawHttpClient::Response> responses = raw.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].status, 401);
        QCOMPARE(responses[0].header("WWW-Authenticate"), QByteArray("Bearer"));
        QCOMPARE(responses[0].header("X-Correlation-ID"), QByteArray("fw-1"));
        QCOMPARE(QJsonDocument::fromJson(responses[0].body).object().value(u"code"_s).toString(),
                 u"UNAUTHORIZED"_s);
        QVERIFY(raw.waitForDisconnected());

        const QUrl url(u"ws://127.0.0.1:%1/ws/v1/forwarders"_s.arg(http.port()));
        QWebSocket refused;
        QVERIFY(!open(refused, QNetworkRequest(url)));
        QVERIFY(sockets.empty());

        QNetworkRequest authorized(url);
        authorized.setRawHeader("Authorization", "Bearer good");
        QWebSocket client;
        QVERIFY(open(client, authorized));
        QCOMPARE(roundTrip(client, u"read"_s), u"ok:read"_s);
        QCOMPARE(checks, 3);
    }

    void unknownWebSocketPathGives404()
    {
        HttpTestServer http;
        QVERIFY(http.router().addWebSocketRoute(u"/ws/v1.2/receivers"_s,
                                                [](std::unique_ptr<QWebSocket>, const HttpRequest &) {}));
        http.router().addRoute("GET", u"/ws/v1/receivers"_s, [](const HttpRequest &) {
            return HttpResponse::text("not a websocket");
        });
        QVERIFY(http.start());
        for (const QByteArray &path : {QByteArray("/ws/nope"), QByteArray("/ws/v1/receivers")}) {
            RawHttpClient raw;
            QVERIFY(raw.connectTo(http.port()));
            raw.send("GET " + path + " HTTP/1.1\r\n" + UpgradeHeaders + "\r\n");
            const QList<RawHttpClient::Response> responses = raw.responses(1);
            QCOMPARE(responses.size(), 1);
            QCOMPARE(responses[0].status, 404);
            QVERIFY(raw.waitForDisconnected());
        }
        // A plain request to a WebSocket path is told to upgrade.
        const HttpReply plain = HttpClient::get(http.url(u"/ws/v1.2/receivers"_s));
        QCOMPARE(plain.status, 426);
        QCOMPARE(plain.headers.value("upgrade"), QByteArray("websocket"));
    }

    void handshakeRejectedByQtLeavesServerWorking()
    {
        HttpTestServer http;
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        QVERIFY(http.router().addWebSocketRoute(
            u"/ws/echo"_s, [&sockets](std::unique_ptr<QWebSocket> socket, const HttpRequest &) {
                echo(socket.get(), u"e:"_s);
                sockets.push_back(std::move(socket));
            }));
        QVERIFY(http.start());
        RawHttpClient raw;
        QVERIFY(raw.connectTo(http.port()));
        raw.send("GET /ws/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n"); // no Sec-WebSocket-Key
        QVERIFY(raw.waitForDisconnected());
        QVERIFY(!raw.received().startsWith("HTTP/1.1 101"));
        QWebSocket client;
        QVERIFY(open(client, QNetworkRequest(QUrl(u"ws://127.0.0.1:%1/ws/echo"_s.arg(http.port())))));
        QCOMPARE(roundTrip(client, u"still"_s), u"e:still"_s);
        QCOMPARE(sockets.size(), size_t(1));
    }

    void serverAndSocketsOnTheirOwnThreads()
    {
        QThread httpThread;
        QThread sessionThread;
        httpThread.start();
        sessionThread.start();
        Pitwall::Router router;
        router.addRoute("GET", u"/healthz"_s, [](const HttpRequest &) { return HttpResponse::text("ok"); });
        QThread *handlerThread = nullptr;
        QThread *socketThread = nullptr;
        router.addWebSocketRoute(u"/ws/echo"_s, [&](std::unique_ptr<QWebSocket> socket, const HttpRequest &) {
            handlerThread = QThread::currentThread();
            QWebSocket *moved = socket.release();
            moved->moveToThread(&sessionThread);
            QMetaObject::invokeMethod(moved, [moved, &socketThread] {
                socketThread = QThread::currentThread();
                echo(moved, u"thread:"_s);
            });
            QObject::connect(&sessionThread, &QThread::finished, moved, &QObject::deleteLater);
        });
        auto *server = new Pitwall::HttpServer(router);
        server->moveToThread(&httpThread);
        quint16 port = 0;
        QMetaObject::invokeMethod(server, [server, &port] {
            if (server->listen(QHostAddress::LocalHost, 0))
                port = server->port();
        }, Qt::BlockingQueuedConnection);
        QVERIFY(port != 0);

        QCOMPARE(HttpClient::get(u"http://127.0.0.1:%1/healthz"_s.arg(port)).body, QByteArray("ok"));
        QWebSocket client;
        QVERIFY(open(client, QNetworkRequest(QUrl(u"ws://127.0.0.1:%1/ws/echo"_s.arg(port)))));
        QCOMPARE(roundTrip(client, u"x"_s), u"thread:x"_s);
        QCOMPARE(handlerThread, &httpThread);
        QCOMPARE(socketThread, &sessionThread);
        client.close();

        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        for (QThread *thread : {&httpThread, &sessionThread}) {
            thread->quit();
            QVERIFY(thread->wait(5000));
        }
    }
};

QTEST_GUILESS_MAIN(HttpWebSocketTest)
#include "httpwebsocket.moc"
