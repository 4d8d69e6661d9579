#include "core/config/duration.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class DurationTest final : public QObject
{
    Q_OBJECT

private slots:
    void parsesGoSyntax_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("zero") << u"0"_s << qint64(0);
        QTest::newRow("ms") << u"250ms"_s << qint64(250);
        QTest::newRow("seconds") << u"30s"_s << qint64(30000);
        QTest::newRow("fraction") << u"1.5s"_s << qint64(1500);
        QTest::newRow("minutes") << u"5m"_s << qint64(300000);
        QTest::newRow("hours") << u"6h"_s << qint64(21600000);
        QTest::newRow("compound") << u"1h30m"_s << qint64(5400000);
        QTest::newRow("micro") << u"2000us"_s << qint64(2);
        QTest::newRow("padded") << u" 10s "_s << qint64(10000);
    }

    void parsesGoSyntax()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = Pitwall::parseDuration(text);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->count(), ms);
    }

    void refusesMalformed_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *bad : {"10x", "5", "", "s", "-1s", "1h 30m", "1.s", "10sec", "1e3s",
                                "999999999999h"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }

    void refusesMalformed()
    {
        QFETCH(QString, text);
        QVERIFY(!Pitwall::parseDuration(text).has_value());
    }

    void formatsShortest()
    {
        QCOMPARE(Pitwall::formatDuration(0ms), u"0s"_s);
        QCOMPARE(Pitwall::formatDuration(2s), u"2s"_s);
        QCOMPARE(Pitwall::formatDuration(600s), u"10m"_s);
        QCOMPARE(Pitwall::formatDuration(2h), u"2h"_s);
        QCOMPARE(Pitwall::formatDuration(1500ms), u"1500ms"_s);
        QCOMPARE(Pitwall::parseDuration(Pitwall::formatDuration(90s))->count(), 90000);
    }
};

QTEST_APPLESS_MAIN(DurationTest)
#include "duration.moc"
