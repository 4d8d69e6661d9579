#include "core/http/responsereader.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Pitwall::ResponseReader;
using Progress = Pitwall::ResponseReader::Progress;

Q_DECLARE_METATYPE(Progress)

namespace {

// Feeds the bytes one at a time: every split point of a real connection is covered.
Progress feedBytewise(ResponseReader &reader, QByteArrayView data)
{
    Progress progress = reader.progress();
    for (char c : data)
        progress = reader.feed(QByteArrayView(&c, 1));
    return progress;
}

} // namespace

class ResponseReaderTest final : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void bodyRunsUntilClose();
    void interimAnswerIsSkipped();
    void bytesAfterTheAnswerAreIgnored();
    void refusals_data();
    void refusals();
    void closeInTheMiddleFails();
};

void ResponseReaderTest::framing_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("308 without body")
            << "HTTP/1.1 308 Resume Incomplete\r\nRange: bytes=0-8388607\r\nContent-Length: 0\r\n\r\n"_ba
            << 308 << "bytes=0-8388607"_ba << QByteArray();
    QTest::newRow("201 with Content-Length")
            << "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"id\":\"v\"}\n"_ba
            << 201 << QByteArray() << "{\"id\":\"v\"}\n"_ba;
    QTest::newRow("chunked with extension and trailer")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"id\r\n6\r\n\":\"v\"}\r\n0\r\nX-Trailer: 1\r\n\r\n"_ba
            << 200 << QByteArray() << "{\"id\":\"v\"}"_ba;
    QTest::newRow("LF line ends")
            << "HTTP/1.0 503 Service Unavailable\nContent-Length: 2\n\nno"_ba
            << 503 << QByteArray() << "no"_ba;
    QTest::newRow("204 has no body")
            << "HTTP/1.1 204 No Content\r\n\r\n"_ba << 204 << QByteArray() << QByteArray();
}

void ResponseReaderTest::framing()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    QFETCH(QByteArray, range);
    QFETCH(QByteArray, body);

    ResponseReader whole;
    QCOMPARE(whole.feed(wire), Progress::Complete);
    ResponseReader bytewise;
    QCOMPARE(feedBytewise(bytewise, wire), Progress::Complete);
    for (const ResponseReader *reader : {&whole, &bytewise}) {
        QCOMPARE(reader->response().status(), status);
        QCOMPARE(reader->response().header("Range"), range);
        QCOMPARE(reader->response().body(), body);
    }
}

void ResponseReaderTest::bodyRunsUntilClose()
{
    ResponseReader reader;
    QCOMPARE(reader.feed("HTTP/1.1 500 Internal Server Error\r\n\r\npart one, "), Progress::NeedMore);
    QCOMPARE(reader.feed("part two"), Progress::NeedMore);
    QCOMPARE(reader.endOfStream(), Progress::Complete);
    QCOMPARE(reader.response().status(), 500);
    QCOMPARE(reader.response().body(), "part one, part two"_ba);
}

void ResponseReaderTest::interimAnswerIsSkipped()
{
    ResponseReader reader;
    const QByteArray wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 308 Resume Incomplete\r\n"
                            "Range: bytes=0-9\r\nContent-Length: 0\r\n\r\n"_ba;
    QCOMPARE(feedBytewise(reader, wire), Progress::Complete);
    QCOMPARE(reader.response().status(), 308);
    QCOMPARE(reader.response().header("range"), "bytes=0-9"_ba);
}

void ResponseReaderTest::bytesAfterTheAnswerAreIgnored()
{
    ResponseReader reader;
    QCOMPARE(reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 500"), Progress::Complete);
    QCOMPARE(reader.feed("garbage"), Progress::Complete);
    QCOMPARE(reader.response().body(), "ok"_ba);
}

void ResponseReaderTest::refusals_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("error");

    QTest::newRow("not HTTP") << "SSH-2.0-OpenSSH\r\n\r\n"_ba << u"status line"_s;
    QTest::newRow("HTTP/2 preface") << "HTTP/2 200\r\n\r\n"_ba << u"status line"_s;
    QTest::newRow("header without colon")
            << "HTTP/1.1 200 OK\r\nbroken\r\n\r\n"_ba << u"malformed header"_s;
    QTest::newRow("signed Content-Length")
            << "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"_ba << u"Content-Length"_s;
    QTest::newRow("body over the limit")
            << "HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n"_ba << u"exceeds 100 bytes"_s;
    QTest::newRow("chunks over the limit")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n"_ba + QByteArray(64, 'a')
               + "\r\n40\r\n"_ba + QByteArray(64, 'a') << u"exceeds 100 bytes"_s;
    QTest::newRow("bad chunk size")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba << u"chunk size"_s;
    QTest::newRow("chunk longer than its size")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"_ba
            << u"longer than its size"_s;
    QTest::newRow("gzip coding")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"_ba << u"transfer coding gzip"_s;
    QTest::newRow("endless head") << "HTTP/1.1 200 OK\r\nX: "_ba + QByteArray(300, 'x')
                                  << u"exceed 256 bytes"_s;
}

void ResponseReaderTest::refusals()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, error);

    ResponseReader reader({256, 100});
    QCOMPARE(reader.feed(wire), Progress::Failed);
    QVERIFY2(reader.error().contains(error), qPrintable(reader.error()));
    // A failed reader stays failed.
    QCOMPARE(reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), Progress::Failed);
}

void ResponseReaderTest::closeInTheMiddleFails()
{
    ResponseReader silent;
    QCOMPARE(silent.endOfStream(), Progress::Failed);
    QVERIFY(silent.error().contains(u"without an answer"_s));

    ResponseReader cut;
    QCOMPARE(cut.feed("HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\n{\"id\""), Progress::NeedMore);
    QCOMPARE(cut.endOfStream(), Progress::Failed);
    QVERIFY(cut.error().contains(u"in the middle"_s));
}

QTEST_GUILESS_MAIN(ResponseReaderTest)
#include "responsereader.moc"
