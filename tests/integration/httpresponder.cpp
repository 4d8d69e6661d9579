#include "core/http/httpserver.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "rawhttpclient.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponder;
using Pitwall::HttpResponse;

namespace {

// Answers in a worker thread's own time, the way engines will.
class Worker final : public QObject
{
    Q_OBJECT

public:
    void answer(HttpResponder responder, const QByteArray &body)
    {
        QMetaObject::invokeMethod(this, [responder = std::make_shared<HttpResponder>(std::move(responder)), body] {
            responder->send(HttpResponse::text(body));
        });
    }
    void drop(HttpResponder responder)
    {
        QMetaObject::invokeMethod(this, [responder = std::make_shared<HttpResponder>(std::move(responder))] {});
    }
};

} // namespace

// Answering later, from other threads, in pieces, or not at all.
class HttpResponderTest : public QObject
{
    Q_OBJECT

private slots:
    void deferredAnswer()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/later"_s, [](const HttpRequest &, HttpResponder responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            QTimer::singleShot(100, [held] { held->send(HttpResponse::text("late")); });
        });
        QVERIFY(http.start());
        QElapsedTimer elapsed;
        elapsed.start();
        const HttpReply reply = HttpClient::get(http.url(u"/later"_s));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, QByteArray("late"));
        QVERIFY(elapsed.elapsed() >= 100);
    }

    void answerFromWorkerThread()
    {
        QThread thread;
        Worker worker;
        worker.moveToThread(&thread);
        thread.start();
        HttpTestServer http;
        http.router().addRoute("GET", u"/work"_s, [&worker](const HttpRequest &, HttpResponder responder) {
            worker.answer(std::move(responder), "from worker");
        });
        http.router().addRoute("GET", u"/lost"_s, [&worker](const HttpRequest &, HttpResponder responder) {
            worker.drop(std::move(responder));
        });
        QVERIFY(http.start());
        const HttpReply answered = HttpClient::get(http.url(u"/work"_s));
        const HttpReply dropped = HttpClient::get(http.url(u"/lost"_s));
        thread.quit();
        QVERIFY(thread.wait(5000));
        QCOMPARE(answered.status, 200);
        QCOMPARE(answered.body, QByteArray("from worker"));
        QCOMPARE(dropped.status, 500);
        QCOMPARE(dropped.json().object().value(u"code"_s).toString(), u"INTERNAL_ERROR"_s);
    }

    void droppedResponderGives500()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/forgot"_s, [](const HttpRequest &, HttpResponder) {});
        QVERIFY(http.start());
        const HttpReply reply = HttpClient::get(http.url(u"/forgot"_s));
        QCOMPARE(reply.status, 500);
        QCOMPARE(reply.json().object().value(u"code"_s).toString(), u"INTERNAL_ERROR"_s);
        QTRY_COMPARE(http.observed().size(), 1);
        QCOMPARE(http.observed().first().status, 500);
    }

    void streamedResponseArrivesInPieces()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/export.csv"_s, [](const HttpRequest &, HttpResponder responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            held->beginStream(200, {{"Content-Type", "text/csv"}});
            held->write("a,b\n");
            QTimer::singleShot(300, [held] {
                held->write("1,2\n");
                held->finish();
            });
        });
        QVERIFY(http.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(http.port()));
        QElapsedTimer elapsed;
        elapsed.start();
        client.send("GET /export.csv HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.waitForData("a,b\n"));
        QVERIFY(!client.received().contains("1,2"));
        QVERIFY(elapsed.elapsed() < 300);
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].header("Transfer-Encoding"), QByteArray("chunked"));
        QCOMPARE(responses[0].header("Content-Type"), QByteArray("text/csv"));
        QVERIFY(!responses[0].header("X-Correlation-ID").isEmpty());
        QCOMPARE(responses[0].body, QByteArray("a,b\n1,2\n"));
        QCOMPARE(responses[0].chunks, 2);
        QVERIFY(client.isConnected());
    }

    void eventStreamNoticesClientLeaving()
    {
        HttpTestServer http;
        auto held = std::make_shared<HttpResponder>();
        bool disconnected = false;
        http.router().addRoute("GET", u"/api/v1/events"_s,
                               [held, &disconnected](const HttpRequest &, HttpResponder responder) {
            *held = std::move(responder);
            held->onDisconnected([&disconnected] { disconnected = true; });
            held->beginStream(200, {{"Content-Type", "text/event-stream"}});
            held->write("data: hello\n\n");
        });
        QVERIFY(http.start());
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(http.port()));
            client.send("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(client.waitForData("data: hello"));
            QVERIFY(held->isOpen());
        }
        QTRY_VERIFY(disconnected);
        QVERIFY(!held->isOpen());
        held->write("data: nobody listens\n\n");
        held->finish();
        QTRY_COMPARE(http.observed().size(), 1);
        QCOMPARE(http.observed().first().status, 200);
    }

    void pipelinedResponsesKeepRequestOrder()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/slow"_s, [](const HttpRequest &, HttpResponder responder) {
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            QTimer::singleShot(150, [held] { held->send(HttpResponse::text("slow")); });
        });
        http.router().addRoute("GET", u"/fast"_s, [](const HttpRequest &) {
            return HttpResponse::text("fast");
        });
        QVERIFY(http.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(http.port()));
        client.send("GET /slow HTTP/1.1\r\n\r\nGET /fast HTTP/1.1\r\n\r\nGET /fast HTTP/1.1\r\n\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(3);
        QCOMPARE(responses.size(), 3);
        QCOMPARE(responses[0].body, QByteArray("slow"));
        QCOMPARE(responses[1].body, QByteArray("fast"));
        QCOMPARE(responses[2].body, QByteArray("fast"));
        QCOMPARE(http.observed().size(), 3);
    }

    void streamThatNeverStartsGives500()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/bad"_s, [](const HttpRequest &, HttpResponder responder) {
            responder.beginStream(204, {});  // a 204 has no body to stream
            responder.write("ignored");
            responder.finish();
        });
        QVERIFY(http.start());
        const HttpReply reply = HttpClient::get(http.url(u"/bad"_s));
        QCOMPARE(reply.status, 500);
    }

    void unfinishedStreamIsCutOff()
    {
        HttpTestServer http;
        http.router().addRoute("GET", u"/cut"_s, [](const HttpRequest &, HttpResponder responder) {
            responder.beginStream(200, {{"Content-Type", "text/csv"}});
            responder.write("partial\n");
        });
        QVERIFY(http.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(http.port()));
        client.send("GET /cut HTTP/1.1\r\n\r\n");
        QVERIFY(client.waitForDisconnected());
        QVERIFY(client.received().contains("partial\n"));
        // No terminating chunk: the client can tell the transfer was truncated.
        QCOMPARE(RawHttpClient::parse(client.received()).size(), 0);
    }
};

QTEST_GUILESS_MAIN(HttpResponderTest)
#include "httpresponder.moc"
