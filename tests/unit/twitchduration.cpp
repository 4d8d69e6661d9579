#include "vod/twitchduration.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

class TwitchDurationTest final : public QObject
{
    Q_OBJECT

private slots:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("all parts") << u"1h2m3s"_s << qint64(3723);
        QTest::newRow("long broadcast") << u"3h15m42s"_s << qint64(11742);
        QTest::newRow("seconds") << u"45s"_s << qint64(45);
        QTest::newRow("minutes") << u"12m"_s << qint64(720);
        QTest::newRow("hours") << u"2h"_s << qint64(7200);
        QTest::newRow("hours and seconds") << u"1h5s"_s << qint64(3605);
        QTest::newRow("zero") << u"0s"_s << qint64(0);
        QTest::newRow("unnormalised") << u"90m75s"_s << qint64(5475);
        QTest::newRow("leading zeros") << u"01h02m03s"_s << qint64(3723);
        QTest::newRow("nine digits") << u"999999999s"_s << qint64(999999999);
    }

    void parses()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        QCOMPARE(parseTwitchDuration(text), std::optional<qint64>(seconds));
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("word") << u"abc"_s;
        QTest::newRow("digits only") << u"123"_s;
        QTest::newRow("unit only") << u"h"_s;
        QTest::newRow("unknown unit") << u"1x"_s;
        QTest::newRow("day unit") << u"1d2h"_s;
        QTest::newRow("repeated unit") << u"1h1h"_s;
        QTest::newRow("out of order") << u"3s2m"_s;
        QTest::newRow("negative") << u"-1s"_s;
        QTest::newRow("fraction") << u"1.5s"_s;
        QTest::newRow("space") << u" 1s"_s;
        QTest::newRow("trailing digits") << u"1h30"_s;
        QTest::newRow("upper case") << u"1H"_s;
        QTest::newRow("ten digits") << u"1234567890s"_s;
        QTest::newRow("arabic-indic digits") << u"\u0661s"_s;
    }

    void rejects()
    {
        QFETCH(QString, text);
        QCOMPARE(parseTwitchDuration(text), std::nullopt);
    }
};

QTEST_APPLESS_MAIN(TwitchDurationTest)
#include "twitchduration.moc"
