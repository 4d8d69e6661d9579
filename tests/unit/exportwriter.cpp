#include "relay/exportwriter.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

StoredEvent storedEvent(qint64 epoch, qint64 seq, const QByteArray &frame,
                  std::optional<QString> timestamp = {}, std::optional<QString> tag = {})
{
    return {{epoch, seq, std::move(timestamp), frame, u"RAW"_s, std::move(tag)}, {}};
}

} // namespace

class TestExportWriter final : public QObject
{
    Q_OBJECT

private slots:
    void textLines();
    void csvHeaderAndRows();
    void csvQuoting_data();
    void csvQuoting();
    void lossyUtf8_data();
    void lossyUtf8();
    void emptyExport();
};

void TestExportWriter::textLines()
{
    const ExportWriter writer(ExportWriter::Format::Text);
    QCOMPARE(writer.header(), QByteArray());
    // One trailing CRLF or LF is removed, never more, and a lone CR stays.
    const QList<StoredEvent> events{storedEvent(1, 1, "A\r\n"), storedEvent(1, 2, "B\n"), storedEvent(1, 3, "C"),
                                    storedEvent(1, 4, "D\n\n"), storedEvent(1, 5, "E\r")};
    QCOMPARE(writer.rows(events), QByteArray("A\nB\nC\nD\n\nE\r\n"));
}

void TestExportWriter::csvHeaderAndRows()
{
    const ExportWriter writer(ExportWriter::Format::Csv);
    QCOMPARE(writer.header(),
             QByteArray("stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n"));
    const QList<StoredEvent> events{
            storedEvent(1, 1, "aa400000000123450a2a0112301845000090\r\n", u"2001-12-30T18:45:00.000"_s,
                  u"000000012345"_s),
            storedEvent(2, 7, "not a read", {}, {})};
    QCOMPARE(writer.rows(events),
             QByteArray("1,1,2001-12-30T18:45:00.000,aa400000000123450a2a0112301845000090,RAW,"
                        "000000012345\n"
                        "2,7,,not a read,RAW,\n"));
}

void TestExportWriter::csvQuoting_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("abc") << QByteArray("abc");
    QTest::newRow("comma") << QByteArray("CSV,WITH,COMMAS") << QByteArray("\"CSV,WITH,COMMAS\"");
    QTest::newRow("quote") << QByteArray("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"");
    QTest::newRow("lf") << QByteArray("a\nb") << QByteArray("\"a\nb\"");
    QTest::newRow("cr") << QByteArray("a\rb") << QByteArray("\"a\rb\"");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestExportWriter::csvQuoting()
{
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, expected);
    QCOMPARE(ExportWriter::csvField(field), expected);
}

void TestExportWriter::lossyUtf8_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray fffd("\xEF\xBF\xBD");
    // Expected values are what Rust's String::from_utf8_lossy yields for the same bytes.
    QTest::newRow("ascii") << QByteArray("abc") << QByteArray("abc");
    QTest::newRow("valid multibyte") << QByteArray("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80")
                                     << QByteArray("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    QTest::newRow("lone continuation") << QByteArray("a\x80z") << "a" + fffd + "z";
    QTest::newRow("truncated 4-byte") << QByteArray("Hello\xF0\x90\x80World")
                                      << "Hello" + fffd + "World";
    QTest::newRow("invalid lead bytes") << QByteArray("\xF5\x80\xFF") << fffd + fffd + fffd;
    QTest::newRow("overlong") << QByteArray("\xE0\x80\xAF") << fffd + fffd + fffd;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << fffd + fffd + fffd;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << fffd + fffd + fffd + fffd;
    QTest::newRow("truncated at end") << QByteArray("x\xE2\x82") << "x" + fffd;
    QTest::newRow("latin-1 frame") << QByteArray("caf\xE9!") << "caf" + fffd + "!";
}

void TestExportWriter::lossyUtf8()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(ExportWriter::lossyUtf8(input), expected);
    // The CSV rendering goes through the same RAW line.
    QCOMPARE(ExportWriter::rawLine(input + "\r\n"), expected);
}

void TestExportWriter::emptyExport()
{
    QCOMPARE(ExportWriter(ExportWriter::Format::Text).rows({}), QByteArray());
    QCOMPARE(ExportWriter(ExportWriter::Format::Csv).rows({}), QByteArray());
}

QTEST_APPLESS_MAIN(TestExportWriter)
#include "exportwriter.moc"
