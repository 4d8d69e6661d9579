#include "vod/uploadmetadata.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QDate may1(2024, 5, 1);

UploadMetadata::Source source(const QString &custom = {}, const QString &channel = u"alice"_s)
{
    return {u"v1"_s, channel, u"Stream  \t<b>hi</b>"_s,
            QDateTime(may1, QTime(18, 30), Qt::UTC), u"https://www.twitch.tv/videos/v1"_s,
            custom};
}

qsizetype codePoints(const QString &text)
{
    return text.toUcs4().size();
}

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.category() == QChar::Other_Control; });
}

} // namespace

// The title and description rules of research §1.5 and §10.
class UploadMetadataTest final : public QObject
{
    Q_OBJECT

private slots:
    void researchTitle();
    void emptyTitle_data();
    void emptyTitle();
    void titleCap_data();
    void titleCap();
    void descriptionLines();
    void descriptionWithoutChannel();
    void descriptionStripsAngleBrackets();
    void descriptionCap_data();
    void descriptionCap();
    void json();
};

void UploadMetadataTest::researchTitle()
{
    const QString title = UploadMetadata::fromVod(source()).title;
    QCOMPARE(title, u"2024-05-01 Stream bhi/b"_s);
    QVERIFY(!hasControlCharacters(title));
}

void UploadMetadataTest::emptyTitle_data()
{
    QTest::addColumn<QString>("title");
    QTest::newRow("empty") << QString();
    QTest::newRow("whitespace") << u" \t\r\n "_s;
    QTest::newRow("control and brackets") << u"\x01\x1f<>\x7f"_s;
}

void UploadMetadataTest::emptyTitle()
{
    QFETCH(QString, title);
    QCOMPARE(UploadMetadata::videoTitle(may1, title), u"2024-05-01 Twitch VOD"_s);
}

void UploadMetadataTest::titleCap_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("expected");
    const QString prefix = u"2024-05-01 "_s;
    QTest::newRow("exactly 100") << QString(89, u'a') << prefix + QString(89, u'a');
    QTest::newRow("101") << QString(90, u'a') << prefix + QString(86, u'a') + u"..."_s;
    QTest::newRow("long") << QString(300, u'b') << prefix + QString(86, u'b') + u"..."_s;
    // Characters are code points: an emoji counts once and is never split in half.
    QString emoji;
    for (int i = 0; i < 120; ++i)
        emoji += u"\U0001F3CE"_s;
    QString kept;
    for (int i = 0; i < 86; ++i)
        kept += u"\U0001F3CE"_s;
    QTest::newRow("emoji") << emoji << prefix + kept + u"..."_s;
}

void UploadMetadataTest::titleCap()
{
    QFETCH(QString, title);
    QFETCH(QString, expected);
    const QString result = UploadMetadata::videoTitle(may1, title);
    QCOMPARE(result, expected);
    QVERIFY(codePoints(result) <= UploadMetadata::maxTitleCharacters);
    QVERIFY(result.isValidUtf16());
}

void UploadMetadataTest::descriptionLines()
{
    QCOMPARE(UploadMetadata::videoDescription(source(u"  Race day!  "_s)),
             u"Race day!\n\n"
             "Original stream date: 2024-05-01T18:30:00Z\n"
             "Attribution: Original Twitch channel \"alice\"\n"
             "Original Twitch VOD ID: v1\n"
             "Original Twitch URL: https://www.twitch.tv/videos/v1"_s);
}

void UploadMetadataTest::descriptionWithoutChannel()
{
    const QString description = UploadMetadata::videoDescription(source({}, {}));
    QVERIFY(description.startsWith(u"Original stream date: "_s));
    QVERIFY(!description.contains(u"Attribution"_s));
    QVERIFY(description.contains(u"Original Twitch VOD ID: v1"_s));
}

void UploadMetadataTest::descriptionStripsAngleBrackets()
{
    const QString description =
            UploadMetadata::videoDescription(source(u"<script>x</script>\nline two\x07"_s));
    QVERIFY2(description.startsWith(u"scriptx/script\nline two\n\n"_s), qPrintable(description));
    QVERIFY(!description.contains(u'<') && !description.contains(u'>'));
}

void UploadMetadataTest::descriptionCap_data()
{
    QTest::addColumn<QString>("unit");
    QTest::newRow("2-byte") << u"\u00e9"_s;
    QTest::newRow("3-byte") << u"\u20ac"_s;
    QTest::newRow("4-byte") << u"\U0001F3C1"_s;
    QTest::newRow("mixed") << u"a\u00e9\u20ac\U0001F3C1"_s;
}

void UploadMetadataTest::descriptionCap()
{
    QFETCH(QString, unit);
    QString custom;
    while (custom.toUtf8().size() < 6000)
        custom += unit;
    const QString description = UploadMetadata::videoDescription(source(custom));
    const QByteArray utf8 = description.toUtf8();
    QVERIFY2(utf8.size() <= UploadMetadata::maxDescriptionBytes, qPrintable(QString::number(utf8.size())));
    // Nothing but the last partial character is given up, and the attribution survives whole.
    QVERIFY(utf8.size() > UploadMetadata::maxDescriptionBytes - unit.toUtf8().size());
    QVERIFY(description.isValidUtf16());
    QCOMPARE(QString::fromUtf8(utf8), description);
    QVERIFY(description.endsWith(u"Original Twitch URL: https://www.twitch.tv/videos/v1"_s));
    QVERIFY(description.contains(u"\n\nOriginal stream date: "_s));
}

void UploadMetadataTest::json()
{
    const QJsonObject body = QJsonDocument::fromJson(UploadMetadata::fromVod(source()).toJson())
                                     .object();
    QCOMPARE(body[u"snippet"_s][u"title"_s].toString(), u"2024-05-01 Stream bhi/b"_s);
    QVERIFY(body[u"snippet"_s][u"description"_s].toString().contains(
            u"Original Twitch VOD ID: v1"_s));
    QCOMPARE(body[u"status"_s][u"privacyStatus"_s].toString(), u"private"_s);
}

QTEST_GUILESS_MAIN(UploadMetadataTest)
#include "uploadmetadata.moc"
