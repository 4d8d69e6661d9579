#include "relay/protocol/ipicoread.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// Copies of the wire contract's reads/ files, kept with the fuzz seeds.
const QString readsDir = QStringLiteral(PITWALL_SOURCE_DIR "/tests/fuzz/corpus/ipicoread");

QList<QByteArray> fileLines(const QString &name)
{
    QFile file(readsDir + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines;
    while (!file.atEnd())
        lines.append(file.readLine()); // keeps "\n": the parser strips it like a raw_frame's
    return lines;
}

} // namespace

class IpicoReadTest final : public QObject
{
    Q_OBJECT

private slots:
    void fieldsOfTheResearchExample()
    {
        const auto read = parseIpicoLine("aa400000000123450a2a0112301845000090");
        QVERIFY(read);
        QCOMPARE(int(read->readerId), 0x40);
        QCOMPARE(read->tagId, u"000000012345"_s);
        QCOMPARE(int(read->ioCounters), 0x0a2a);
        QCOMPARE(read->timestamp, u"2001-12-30T18:45:00.000"_s);
        QCOMPARE(int(read->checksum), 0x90);
        QCOMPARE(read->type, IpicoRead::Type::Raw);
        QCOMPARE(read->typeName(), u"raw"_s);
        QVERIFY(!read->tto);
    }

    // Scenario 13: the CSV's reader_timestamp and chip_id columns for the export test asset.
    void exportReadsFile()
    {
        const QList<QByteArray> lines = fileLines(u"ok-export_reads.txt"_s);
        const QStringList timestamps{u"2001-12-30T18:45:00.000"_s, u"2001-12-30T18:45:10.100"_s,
                                     u"2001-12-30T18:45:20.250"_s, u"2001-12-30T18:45:30.500"_s,
                                     u"2001-12-30T18:45:40.990"_s};
        QCOMPARE(lines.size(), timestamps.size());
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const auto read = parseIpicoLine(lines.at(i));
            QVERIFY2(read, lines.at(i).constData());
            QCOMPARE(read->tagId, u"000000012345"_s);
            QCOMPARE(read->timestamp, timestamps.at(i));
        }
    }

    void largeReadsFile()
    {
        const QList<QByteArray> lines = fileLines(u"ok-large.txt"_s);
        QCOMPARE(lines.size(), 100);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const auto read = parseIpicoLine(lines.at(i));
            QVERIFY2(read, lines.at(i).constData());
            QCOMPARE(int(read->readerId), 0);
            // Chip 058003700001.. counts up in hex line by line; all reads are on 2025-06-15.
            QCOMPARE(read->tagId, u"0580037%1"_s.arg(int(i) + 1, 5, 16, QLatin1Char('0')));
            QVERIFY2(read->timestamp.startsWith(u"2025-06-15T10:"_s), qPrintable(read->timestamp));
            QCOMPARE(read->type, IpicoRead::Type::Raw);
        }
    }

    void terminatorsAndWhitespace_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("crlf") << "aa400000000123450a2a0112301845000090\r\n"_ba;
        QTest::newRow("lf") << "aa400000000123450a2a0112301845000090\n"_ba;
        QTest::newRow("trailing field") << "aa400000000123450a2a0112301845000090 extra\r\n"_ba;
        QTest::newRow("leading space") << "  aa400000000123450a2a0112301845000090"_ba;
    }

    void terminatorsAndWhitespace()
    {
        QFETCH(QByteArray, line);
        const auto read = parseIpicoLine(line);
        QVERIFY(read);
        QCOMPARE(read->tagId, u"000000012345"_s);
    }

    void fslsAndTto_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("timestamp");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("ttoStatus"); // -1: no TTO block
        QTest::addColumn<bool>("tamper");
        QTest::newRow("FS suffix") << "aa400000000123450a2a01123018455927a7FS"_ba
                                   << u"2001-12-30T18:45:59.390"_s << u"fsls"_s << -1 << false;
        QTest::newRow("LS suffix") << "aa400000000123450a2a01123018455927a7LS"_ba
                                   << u"2001-12-30T18:45:59.390"_s << u"fsls"_s << -1 << false;
        QTest::newRow("TTO first seen") << "aa400000000123450a2a01123018455927120080d2"_ba
                                        << u"2001-12-30T18:45:59.390"_s << u"fsls"_s << 0x80 << false;
        QTest::newRow("TTO tamper") << "aa400000000123450a2a011230184559271200ff36"_ba
                                    << u"2001-12-30T18:45:59.390"_s << u"raw"_s << 0xff << true;
        QTest::newRow("TTO + LS") << "aa400000000123450a2a011230184559271200ff36LS"_ba
                                  << u"2001-12-30T18:45:59.390"_s << u"fsls"_s << 0xff << true;
        QTest::newRow("hundredths 0x63") << "aa400000000123450a2a0112301845006399"_ba
                                         << u"2001-12-30T18:45:00.990"_s << u"raw"_s << -1 << false;
    }

    void fslsAndTto()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, timestamp);
        QFETCH(QString, type);
        QFETCH(int, ttoStatus);
        QFETCH(bool, tamper);
        const auto read = parseIpicoLine(line);
        QVERIFY(read);
        QCOMPARE(read->timestamp, timestamp);
        QCOMPARE(read->typeName(), type);
        QCOMPARE(read->tto.has_value(), ttoStatus >= 0);
        if (read->tto) {
            QCOMPARE(int(read->tto->index), 0x12);
            QCOMPARE(int(read->tto->status), ttoStatus);
            QCOMPARE(read->tto->tamper(), tamper);
        }
    }

    void tagCaseIsKept()
    {
        const auto read = parseIpicoLine("aa4000000000AABB0a2a01123018450000c7");
        QVERIFY(read);
        QCOMPARE(read->tagId, u"00000000AABB"_s);
    }

    // Every line here has a correct LRC unless the row says otherwise, so only the named rule
    // can be what refuses it.
    void unparseable_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << " \r\n"_ba;
        QTest::newRow("short") << "aa400000000123450a2a01123018450000"_ba;
        QTest::newRow("one char long") << "aa400000000123450a2a0112301845000090a"_ba;
        QTest::newRow("bad checksum") << "aa400000000123450a2a0112301845000091"_ba;
        QTest::newRow("uppercase checksum") << "aa400000000123450a2a0112301845000aC1"_ba;
        QTest::newRow("bad prefix") << "ab400000000123450a2a0112301845000090"_ba;
        QTest::newRow("lowercase suffix") << "aa400000000123450a2a01123018455927a7fs"_ba;
        QTest::newRow("other suffix") << "aa400000000123450a2a01123018455927a7ZZ"_ba;
        QTest::newRow("non-hex tag") << "aa4000000001234g0a2a01123018450000c2"_ba;
        QTest::newRow("non-hex reader id") << "aa4x0000000123450a2a01123018450000d8"_ba;
        QTest::newRow("non-hex TTO") << "aa400000000123450a2a0112301845000012zz804f"_ba;
        QTest::newRow("month 13") << "aa400000000123450a2a0113301845000091"_ba;
        QTest::newRow("day 00") << "aa400000000123450a2a011200184500008d"_ba;
        QTest::newRow("hour 24") << "aa400000000123450a2a011230244500008d"_ba;
        QTest::newRow("second 60") << "aa400000000123450a2a0112301845600096"_ba;
        QTest::newRow("sign in date") << "aa400000000123450a2a01+230184500008a"_ba;
        QTest::newRow("hundredths 0x64") << "aa400000000123450a2a011230184500649a"_ba;
        QTest::newRow("scenario frame") << "LINE_1"_ba;
        QTest::newRow("csv frame") << "CSV,WITH,COMMAS"_ba;
    }

    void unparseable()
    {
        QFETCH(QByteArray, line);
        QVERIFY(!parseIpicoLine(line));
    }
};

QTEST_APPLESS_MAIN(IpicoReadTest)
#include "ipicoread.moc"
