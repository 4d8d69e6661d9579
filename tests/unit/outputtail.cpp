#include "vod/outputtail.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// OutputTail splits chunks into lines, keeps the last ones and redacts secrets on the way in.
class OutputTailTest final : public QObject
{
    Q_OBJECT

private slots:
    void splitsChunksOnNewlineAndCarriageReturn();
    void keepsTheLastLines();
    void redactsCookiesAndAuthTokens_data();
    void redactsCookiesAndAuthTokens();
    void boundsALineWithoutBreaks();
};

void OutputTailTest::splitsChunksOnNewlineAndCarriageReturn()
{
    OutputTail tail;
    QCOMPARE(tail.append("first\nsec"), QStringList{u"first"_s});
    QCOMPARE(tail.append("ond\r\rthird\r\n"), (QStringList{u"second"_s, u"third"_s}));
    QCOMPARE(tail.append("unterminated"), QStringList());
    QCOMPARE(tail.flush(), QStringList{u"unterminated"_s});
    QCOMPARE(tail.flush(), QStringList());
    QCOMPARE(tail.lines(), (QStringList{u"first"_s, u"second"_s, u"third"_s, u"unterminated"_s}));
    // A multi-byte character split over two chunks stays whole.
    QCOMPARE(tail.append("caf\xc3"), QStringList());
    QCOMPARE(tail.append("\xa9\n"), QStringList{u"café"_s});
}

void OutputTailTest::keepsTheLastLines()
{
    OutputTail tail(3);
    for (int i = 0; i < 10; ++i)
        tail.append(QByteArray::number(i) + '\n');
    QCOMPARE(tail.lines(), (QStringList{u"7"_s, u"8"_s, u"9"_s}));
}

void OutputTailTest::redactsCookiesAndAuthTokens_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("redacted");
    QTest::newRow("header") << u"Cookie: auth-token=abc123; persistent=xyz"_s << u"Cookie: [redacted]"_s;
    QTest::newRow("yt-dlp -v headers")
        << u"[debug] Headers: {'User-Agent': 'x', 'Cookie': 'unique_id=42; auth-token=abc'}"_s
        << u"[debug] Headers: {'User-Agent': 'x', 'Cookie': '[redacted]'}"_s;
    QTest::newRow("token in a URL") << u"GET https://usher.example/vod?auth-token=s3cr3t&sig=1"_s
                                    << u"GET https://usher.example/vod?auth-token=[redacted]&sig=1"_s;
    QTest::newRow("nothing secret") << u"[download] Destination: twitch_1.mp4"_s
                                    << u"[download] Destination: twitch_1.mp4"_s;
}

void OutputTailTest::redactsCookiesAndAuthTokens()
{
    QFETCH(QString, line);
    QFETCH(QString, redacted);
    OutputTail tail;
    QCOMPARE(tail.append(line.toUtf8() + '\n'), QStringList{redacted});
    QCOMPARE(tail.lines(), QStringList{redacted});
}

void OutputTailTest::boundsALineWithoutBreaks()
{
    OutputTail tail;
    const QStringList lines = tail.append(QByteArray(200 * 1024, 'x'));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.first().size(), 64 * 1024);
}

QTEST_APPLESS_MAIN(OutputTailTest)
#include "outputtail.moc"
