#include "core/http/httpserver.h"
#include "core/log/logcontext.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "rawhttpclient.h"

#include <QJsonObject>
#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponder;
using Pitwall::HttpResponse;

namespace {

struct LogLine
{
    QString message;
    QString correlationId;
};

QList<LogLine> g_httpLog;

void captureHttpLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (qstrcmp(context.category, "pitwall.http") == 0)
        g_httpLog.append({message, Pitwall::LogContext::correlationId()});
}

} // namespace

class HttpServerTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qInstallMessageHandler(captureHttpLog);
    }

    void init()
    {
        g_httpLog.clear();
    }

    void jsonAndTextResponses()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/json"_s, [](const HttpRequest &request) {
            return HttpResponse::json(QJsonObject{{u"path"_s, request.path},
                                                  {u"q"_s, request.query.queryItemValue(u"q"_s)}});
        });
        http.router().addRoute("GET", u"/text"_s, [](const HttpRequest &) {
            return HttpResponse::text("plain", 202);
        });
        QVERIFY(http.start());
        const HttpReply json = HttpClient::get(http.url(u"/json?q=7"_s));
        QCOMPARE(json.status, 200);
        QCOMPARE(json.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(json.json().object().value(u"path"_s).toString(), u"/json"_s);
        QCOMPARE(json.json().object().value(u"q"_s).toString(), u"7"_s);
        const HttpReply text = HttpClient::get(http.url(u"/text"_s));
        QCOMPARE(text.status, 202);
        QCOMPARE(text.body, QByteArray("plain"));
        QCOMPARE(text.headers.value("content-type"), QByteArray("text/plain; charset=utf-8"));
    }

    void correlationIds_data()
    {
        QTest::addColumn<QByteArray>("sent");
        QTest::addColumn<bool>("reused");
        QTest::newRow("reused") << QByteArray("req-42.a:b_c") << true;
        QTest::newRow("generated") << QByteArray() << false;
        QTest::newRow("insane replaced") << QByteArray("bad id with spaces") << false;
        QTest::newRow("too long replaced") << QByteArray(129, 'x') << false;
    }

    void correlationIds()
    {
        QFETCH(QByteArray, sent);
        QFETCH(bool, reused);
        HttpTestServer http;
        QString seenInHandler;
        http.router().addRoute("GET", u"/corr"_s, [&seenInHandler](const HttpRequest &request) {
            seenInHandler = Pitwall::LogContext::correlationId();
            return HttpResponse::text(request.correlationId.toLatin1());
        });
        QVERIFY(http.start());
        QHash<QByteArray, QByteArray> headers;
        if (!sent.isEmpty())
            headers.insert("X-Correlation-ID", sent);
        const HttpReply reply = HttpClient::get(http.url(u"/corr"_s), headers);
        QCOMPARE(reply.status, 200);
        const QByteArray answered = reply.headers.value("x-correlation-id");
        if (reused)
            QCOMPARE(answered, sent);
        else
            QCOMPARE(QUuid::fromString(QLatin1String(answered)).version(), QUuid::Random);
        QCOMPARE(reply.body, answered);
        QCOMPARE(seenInHandler, QString::fromLatin1(answered));
        // Logged once, inside the request's context, with method, path and status.
        QTRY_COMPARE(g_httpLog.size(), 1);
        QCOMPARE(g_httpLog.first().correlationId, QString::fromLatin1(answered));
        QVERIFY2(g_httpLog.first().message.startsWith(u"GET /corr 200 "_s),
                 qPrintable(g_httpLog.first().message));
        QCOMPARE(http.observed().size(), 1);
        QCOMPARE(http.observed().first().status, 200);
        QCOMPARE(http.observed().first().request.correlationId, QString::fromLatin1(answered));
    }

    void notFoundAndMethodNotAllowed()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/api/v1/tokens"_s, [](const HttpRequest &) {
            return HttpResponse::text("list");
        });
        http.router().addRoute("POST", u"/api/v1/tokens"_s, [](const HttpRequest &) {
            return HttpResponse::text("created", 201);
        });
        QVERIFY(http.start());
        const HttpReply missing = HttpClient::get(http.url(u"/api/v1/nothing"_s));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json().object().value(u"code"_s).toString(), u"NOT_FOUND"_s);
        QVERIFY(!missing.headers.value("x-correlation-id").isEmpty());
        const HttpReply wrong = HttpClient::request("PUT", http.url(u"/api/v1/tokens"_s));
        QCOMPARE(wrong.status, 405);
        QCOMPARE(wrong.headers.value("allow"), QByteArray("GET, HEAD, POST"));
        QCOMPARE(wrong.json().object().value(u"code"_s).toString(), u"METHOD_NOT_ALLOWED"_s);
        QCOMPARE(HttpClient::request("POST", http.url(u"/api/v1/tokens"_s)).status, 201);
    }

    void headIsServedWithoutBody()
    {
        HttpTestServer http;
        int calls = 0;
        http.router().addRoute("GET", u"/metrics"_s, [&calls](const HttpRequest &request) {
            ++calls;
            return HttpResponse::text("metric 1\n" + request.method);
        });
        QVERIFY(http.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(http.port()));
        client.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        const QList<RawHttpClient::Response> head = client.responses(1, 5000, true);
        QCOMPARE(head.size(), 1);
        QCOMPARE(head[0].status, 200);
        QCOMPARE(head[0].header("Content-Length"), QByteArray("13"));
        QVERIFY(client.received().endsWith("\r\n\r\n"));
        QVERIFY(!client.waitForBytes(200));
        // The connection is still in step: the next response follows directly.
        client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.waitForData("metric 1\nGET"));
        QCOMPARE(calls, 2);
    }

    void connectionCloseIsHonoured_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("closed");
        QTest::newRow("1.1") << QByteArray("GET /x HTTP/1.1\r\n\r\n") << false;
        QTest::newRow("1.1 close") << QByteArray("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n") << true;
        QTest::newRow("1.0") << QByteArray("GET /x HTTP/1.0\r\n\r\n") << true;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << false;
    }

    void connectionCloseIsHonoured()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, closed);
        HttpTestServer http;
        http.router().addRoute("GET", u"/x"_s, [](const HttpRequest &) { return HttpResponse::text("x"); });
        QVERIFY(http.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(http.port()));
        client.send(request);
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].body, QByteArray("x"));
        QCOMPARE(responses[0].header("Connection") == "close", closed);
        QCOMPARE(client.waitForDisconnected(closed ? 5000 : 300), closed);
    }

    void requestBodiesReachHandlers()
    {
        HttpTestServer http;
        http.router().addRoute("POST", u"/echo/{name}"_s, [](const HttpRequest &request) {
            return HttpResponse::text(request.pathParams.value(u"name"_s).toUtf8() + '=' + request.body);
        });
        QVERIFY(http.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(http.port()));
        client.send("POST /echo/a%20b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                    "POST /echo/c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(2);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].body, QByteArray("a b=hello"));
        QCOMPARE(responses[1].body, QByteArray("c=abcde"));
    }

    void adminRoutesWithoutToken()
    {
        HttpTestServer http;
        http.router().addRoute("DELETE", u"/api/v1/tokens/{id}"_s, [](const HttpRequest &request) {
            return HttpResponse::text(request.pathParams.value(u"id"_s).toUtf8());
        }, {.admin = true});
        QVERIFY(http.start());
        // The test client is a loopback peer; the non-loopback case is in tst_adminguard.
        const HttpReply reply = HttpClient::request("DELETE", http.url(u"/api/v1/tokens/7"_s));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, QByteArray("7"));
    }

    void adminRoutesWithToken()
    {
        HttpTestServer http({}, u"t0ken"_s);
        http.router().addRoute("DELETE", u"/api/v1/tokens/{id}"_s, [](const HttpRequest &) {
            return HttpResponse::text("deleted");
        }, {.admin = true});
        QVERIFY(http.start());
        const QString url = http.url(u"/api/v1/tokens/7"_s);
        const HttpReply missing = HttpClient::request("DELETE", url);
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.headers.value("www-authenticate"), QByteArray(R"(Basic realm="vod-tender admin")"));
        QCOMPARE(HttpClient::request("DELETE", url, {{"X-Admin-Token", "wrong"}}).status, 401);
        QCOMPARE(HttpClient::request("DELETE", url, {{"X-Admin-Token", "t0ken"}}).status, 200);
        QCOMPARE(HttpClient::request("DELETE", url, {{"Authorization", "Bearer t0ken"}}).status, 200);
    }

    void closeFinishesInFlightButStopsAccepting()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/later"_s, [](const HttpRequest &, HttpResponder responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            QTimer::singleShot(200, [held] { held->send(HttpResponse::text("finished")); });
        });
        QVERIFY(http.start());
        RawHttpClient inFlight;
        RawHttpClient idle;
        QVERIFY(inFlight.connectTo(http.port()));
        QVERIFY(idle.connectTo(http.port()));
        inFlight.send("GET /later HTTP/1.1\r\n\r\n");
        QTRY_VERIFY(!http.server().waitForIdle(std::chrono::milliseconds(1)));
        http.server().close();
        QVERIFY(!http.server().isListening());
        QCOMPARE(http.server().port(), quint16(0));
        QVERIFY(idle.waitForDisconnected(2000));
        QTcpSocket refused;
        refused.connectToHost(QHostAddress::LocalHost, http.port());
        QVERIFY(!refused.waitForConnected(1000));
        QVERIFY(http.server().waitForIdle(std::chrono::seconds(5)));
        const QList<RawHttpClient::Response> responses = inFlight.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].body, QByteArray("finished"));
        QCOMPARE(responses[0].header("Connection"), QByteArray("close"));
        QVERIFY(inFlight.waitForDisconnected(2000));
    }

    void listenOnPortInUse()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        Pitwall::Router router;
        Pitwall::HttpServer server(router);
        QString error;
        QVERIFY(!server.listen(QHostAddress::LocalHost, occupant.serverPort(), &error));
        QVERIFY2(error.contains(u"127.0.0.1:%1"_s.arg(occupant.serverPort())), qPrintable(error));
        QVERIFY2(error.contains(u"address in use"_s), qPrintable(error));
        QVERIFY(!server.isListening());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QVERIFY(!server.listen(QHostAddress::LocalHost, 0, &error));
        QVERIFY2(error.contains(u"already listening"_s), qPrintable(error));
    }

    void listenOnlyOnTheServersThread()
    {
        QThread thread;
        Pitwall::Router router;
        Pitwall::HttpServer server(router);
        server.moveToThread(&thread);
        QString error;
        QVERIFY(!server.listen(QHostAddress::LocalHost, 0, &error));
        QVERIFY2(error.contains(u"thread"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(HttpServerTest)
#include "httpserver.moc"
