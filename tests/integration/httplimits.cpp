#include "httptestserver.h"
#include "rawhttpclient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using Pitwall::HttpLimits;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;

namespace {

HttpLimits smallLimits()
{
    HttpLimits limits;
    limits.maxBodyBytes = 1000;
    limits.maxHeaderBytes = 1024;
    limits.requestTimeout = std::chrono::milliseconds(400);
    limits.keepAliveTimeout = std::chrono::milliseconds(400);
    return limits;
}

QString codeOf(const RawHttpClient::Response &response)
{
    return QJsonDocument::fromJson(response.body).object().value(u"code"_s).toString();
}

} // namespace

// Limits are enforced by the connection guard before Qt HttpServer buffers a request: each test
// checks the refusal and that no handler ran.
class HttpLimitsTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpTestServer> m_http;
    int m_handled = 0;

private slots:
    void init()
    {
        m_handled = 0;
        m_http = std::make_unique<HttpTestServer>(smallLimits());
        m_http->router().addRoute("POST", u"/upload"_s, [this](const HttpRequest &request) {
            ++m_handled;
            return HttpResponse::text(QByteArray::number(request.body.size()));
        });
        QVERIFY(m_http->start());
    }

    void bodyWithinLimitIsAccepted()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + QByteArray(1000, 'x'));
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].body, QByteArray("1000"));
    }

    void declaredBodyTooLarge()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nContent-Length: 1001\r\nX-Correlation-ID: big-1\r\n\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].status, 413);
        QCOMPARE(codeOf(responses[0]), u"PAYLOAD_TOO_LARGE"_s);
        QCOMPARE(responses[0].header("X-Correlation-ID"), QByteArray("big-1"));
        QCOMPARE(responses[0].header("Connection"), QByteArray("close"));
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(m_handled, 0);
        QCOMPARE(m_http->observed().size(), 1);
        QCOMPARE(m_http->observed().first().status, 413);
        QCOMPARE(m_http->observed().first().request.path, u"/upload"_s);
    }

    void expectContinueWithinLimit()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        QVERIFY(client.waitForData("HTTP/1.1 100 Continue\r\n\r\n"));
        client.send("abcd");
        QVERIFY(client.waitForData("\r\n\r\n4"));
        QCOMPARE(m_handled, 1);
    }

    void chunkedBodyTooLarge()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = "1f4\r\n" + QByteArray(500, 'y') + "\r\n";
        client.send(chunk);
        client.send(chunk);
        QVERIFY(!client.waitForBytes(100));
        client.send(chunk);
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].status, 413);
        QCOMPARE(codeOf(responses[0]), u"PAYLOAD_TOO_LARGE"_s);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(m_handled, 0);
    }

    void headersTooLarge()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nX-Padding: " + QByteArray(1100, 'p') + "\r\n\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].status, 431);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(m_handled, 0);
    }

    void slowRequestTimesOut()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        QElapsedTimer elapsed;
        elapsed.start();
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\n");
        QTest::qWait(200);
        client.send("X-Still: typing\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].status, 408);
        QCOMPARE(codeOf(responses[0]), u"REQUEST_TIMEOUT"_s);
        QCOMPARE(m_http->observed().first().request.path, u"/upload"_s);
        QVERIFY(elapsed.elapsed() >= 350); // coarse timers may fire 5% early
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(m_handled, 0);
    }

    void idleKeepAliveConnectionIsClosed()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nContent-Length: 1\r\n\r\nz");
        QCOMPARE(client.responses(1).size(), 1);
        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(client.waitForDisconnected(3000));
        QVERIFY(elapsed.elapsed() >= 300);
        QCOMPARE(client.received().count("HTTP/1.1"), 1);
    }

    void malformedRequestGets400()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].status, 400);
        QCOMPARE(codeOf(responses[0]), u"BAD_REQUEST"_s);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(m_handled, 0);
    }

    void refusalWaitsForEarlierResponses()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_http->port()));
        client.send("POST /upload HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"
                    "POST /upload HTTP/1.1\r\nContent-Length: 5000\r\n\r\n");
        const QList<RawHttpClient::Response> responses = client.responses(2);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].status, 200);
        QCOMPARE(responses[1].status, 413);
    }
};

QTEST_GUILESS_MAIN(HttpLimitsTest)
#include "httplimits.moc"
