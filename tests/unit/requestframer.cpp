#include "core/http/requestframer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Pitwall::RequestFramer;
using Event = Pitwall::RequestFramer::Event;
using Kind = Pitwall::RequestFramer::Event::Kind;

namespace {

RequestFramer framer(int maxHeaderBytes = 1024, qint64 maxBodyBytes = 100)
{
    return RequestFramer({maxHeaderBytes, maxBodyBytes});
}

QList<Event> feedBytewise(RequestFramer &framer, QByteArrayView data)
{
    QList<Event> events;
    for (char c : data)
        events += framer.feed(QByteArrayView(&c, 1));
    return events;
}

QList<Kind> kinds(const QList<Event> &events)
{
    QList<Kind> result;
    for (const Event &event : events)
        result.append(event.kind);
    return result;
}

QList<Event> completes(const QList<Event> &events)
{
    QList<Event> result;
    std::copy_if(events.cbegin(), events.cend(), std::back_inserter(result),
                 [](const Event &event) { return event.kind == Kind::Complete; });
    return result;
}

} // namespace

class RequestFramerTest : public QObject
{
    Q_OBJECT

private slots:
    void simpleGet()
    {
        RequestFramer f = framer();
        const QList<Event> events =
            f.feed("GET /api/v1/streams?x=1 HTTP/1.1\r\nHost: a\r\nX-Correlation-ID: c-1\r\n\r\n");
        QCOMPARE(kinds(events), (QList<Kind>{Kind::Started, Kind::HeadersComplete, Kind::Complete}));
        const Pitwall::RequestHead &head = events.last().head;
        QCOMPARE(head.method, QByteArray("GET"));
        QCOMPARE(head.target, QByteArray("/api/v1/streams?x=1"));
        QCOMPARE(head.minorVersion, 1);
        QCOMPARE(head.headers.size(), 2);
        QCOMPARE(Pitwall::headerValue(head.headers, "x-correlation-id"), QByteArray("c-1"));
        QVERIFY(head.keepAlive);
        QVERIFY(!head.webSocketUpgrade);
        QVERIFY(f.isIdle());
    }

    void byteByByteGivesTheSameRequests()
    {
        const QByteArray data = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                                "PUT /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                                "GET /c HTTP/1.1\r\n\r\n";
        RequestFramer whole = framer();
        RequestFramer bytewise = framer();
        const QList<Event> a = completes(whole.feed(data));
        const QList<Event> b = completes(feedBytewise(bytewise, data));
        QCOMPARE(a.size(), 3);
        QCOMPARE(b.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(a[i].head.target, b[i].head.target);
        QCOMPARE(b[2].head.target, QByteArray("/c"));
        QVERIFY(whole.isIdle());
        QVERIFY(bytewise.isIdle());
    }

    void bodyCompletesOnlyWhenAllBytesArrived()
    {
        RequestFramer f = framer();
        QCOMPARE(kinds(f.feed("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345")),
                 (QList<Kind>{Kind::Started, Kind::HeadersComplete}));
        QVERIFY(!f.isIdle());
        QCOMPARE(kinds(f.feed("6789")), QList<Kind>{});
        QCOMPARE(kinds(f.feed("0GET")), (QList<Kind>{Kind::Complete, Kind::Started}));
    }

    void blankLinesAndBareLineFeeds()
    {
        RequestFramer f = framer();
        const QList<Event> events = completes(f.feed("\r\n\r\nGET /a HTTP/1.0\nHost: x\n\n \r\nGET /b HTTP/1.1\n\n"));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].head.minorVersion, 0);
        QCOMPARE(events[1].head.target, QByteArray("/b"));
    }

    void keepAliveFollowsVersionAndConnection_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n") << false;
        QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
    }

    void keepAliveFollowsVersionAndConnection()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, keepAlive);
        RequestFramer f = framer();
        QCOMPARE(f.feed(request).last().head.keepAlive, keepAlive);
    }

    void expectContinueIsReported()
    {
        RequestFramer f = framer();
        const QList<Event> events =
            f.feed("POST / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n");
        QCOMPARE(events.last().kind, Kind::HeadersComplete);
        QVERIFY(events.last().head.expectsContinue);
    }

    void declaredBodyOverTheLimitFailsBeforeTheBody()
    {
        RequestFramer f = framer(1024, 100);
        QCOMPARE(kinds(f.feed("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n")).last(),
                 Kind::HeadersComplete);
        RequestFramer g = framer(1024, 100);
        const QList<Event> events = g.feed("POST /up HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
        QCOMPARE(events.last().kind, Kind::Failed);
        QCOMPARE(events.last().status, 413);
        QCOMPARE(events.last().head.target, QByteArray("/up"));
        QVERIFY(g.isStopped());
        QVERIFY(g.feed("more bytes").isEmpty());
    }

    void chunkedBodyOverTheLimitFails()
    {
        RequestFramer f = framer(1024, 100);
        QVERIFY(!kinds(f.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n"))
                     .contains(Kind::Failed));
        f.feed(QByteArray(50, 'x') + "\r\n");
        const QList<Event> events = f.feed("33\r\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().status, 413);
    }

    void headersOverTheLimitFailEvenUnterminated()
    {
        RequestFramer f = framer(64, 100);
        QList<Event> events = f.feed("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 10 && !f.isStopped(); ++i)
            events += f.feed("X-Slow: 1234567890\r\n");
        QCOMPARE(events.last().kind, Kind::Failed);
        QCOMPARE(events.last().status, 431);
    }

    void malformedRequestsFailWith400_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("two words") << QByteArray("GET /\r\n\r\n");
        QTest::newRow("version") << QByteArray("GET / HTTP/2.0\r\n\r\n");
        QTest::newRow("absolute form") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n");
        QTest::newRow("method") << QByteArray("G(T / HTTP/1.1\r\n\r\n");
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n");
        QTest::newRow("folded") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n  c\r\n\r\n");
        QTest::newRow("length and chunked") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
        QTest::newRow("signed length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n");
        QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n");
        QTest::newRow("gzip") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
        QTest::newRow("0x size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n");
        QTest::newRow("bad size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        QTest::newRow("no CRLF after data") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n");
        QTest::newRow("trailer") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n\r\n");
    }

    void malformedRequestsFailWith400()
    {
        QFETCH(QByteArray, request);
        RequestFramer f = framer();
        const QList<Event> events = f.feed(request);
        QCOMPARE(events.last().kind, Kind::Failed);
        QCOMPARE(events.last().status, 400);
        QVERIFY(!events.last().message.isEmpty());
        QVERIFY(f.isStopped());
    }

    void webSocketUpgradeStopsFraming()
    {
        RequestFramer f = framer();
        const QList<Event> events = f.feed(
            "GET /ws/v1/forwarders HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n"
            "Upgrade: WebSocket\r\nSec-WebSocket-Key: x\r\n\r\n\x81\x05hello");
        QCOMPARE(events.last().kind, Kind::Complete);
        QVERIFY(events.last().head.webSocketUpgrade);
        QVERIFY(f.isStopped());
        RequestFramer g = framer();
        QVERIFY(!g.feed("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n").last().head.webSocketUpgrade);
    }
};

QTEST_APPLESS_MAIN(RequestFramerTest)
#include "requestframer.moc"
