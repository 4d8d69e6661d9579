#include "vod/helixjson.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

class HelixJsonTest final : public QObject
{
    Q_OBJECT

private slots:
    void videoPage()
    {
        const QByteArray body = R"({"data":[
            {"id":"335921245","stream_id":null,"user_id":"141981764",
             "title":"Twitch Developers 101",
             "created_at":"2018-11-14T21:30:18Z","duration":"3h15m42s","type":"archive"},
            {"id":"335921246","title":"odd","created_at":"2018-11-13T21:30:18.123Z",
             "duration":"bogus"}],
            "pagination":{"cursor":"eyJiIjpudWxsLCJhIjoiMTUwMzQ0MTc3NjQyNDQyMjAwMCJ9"}})"_ba;
        QString error;
        const std::optional<HelixVideoPage> page = HelixJson::videoPage(body, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->cursor, u"eyJiIjpudWxsLCJhIjoiMTUwMzQ0MTc3NjQyNDQyMjAwMCJ9"_s);
        QCOMPARE(page->videos.size(), 2);
        const HelixVideo &first = page->videos[0];
        QCOMPARE(first.id, u"335921245"_s);
        QCOMPARE(first.title, u"Twitch Developers 101"_s);
        QCOMPARE(first.durationSeconds, 11742);
        QCOMPARE(first.createdAt, QDateTime(QDate(2018, 11, 14), QTime(21, 30, 18), Qt::UTC));
        QCOMPARE(page->videos[1].durationSeconds, 0);
        QCOMPARE(page->videos[1].createdAt,
                 QDateTime(QDate(2018, 11, 13), QTime(21, 30, 18, 123), Qt::UTC));
    }

    void lastPageHasNoCursor()
    {
        QString error;
        const std::optional<HelixVideoPage> page =
                HelixJson::videoPage(R"({"data":[],"pagination":{}})"_ba, &error);
        QVERIFY(page);
        QVERIFY(page->videos.isEmpty());
        QVERIFY(page->cursor.isEmpty());
    }

    void malformedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("not json") << "<html>"_ba << u"helix answered with no JSON object"_s;
        QTest::newRow("array") << "[]"_ba << u"helix answered with no JSON object"_s;
        QTest::newRow("no data") << R"({"pagination":{}})"_ba
                                 << u"helix answered without a data array"_s;
        QTest::newRow("video without id") << R"({"data":[{"title":"x"}]})"_ba
                                          << u"helix listed a video without an id"_s;
    }

    void malformedBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!HelixJson::videoPage(body, &actual));
        QVERIFY2(actual.startsWith(error), qPrintable(actual));
    }

    void userId()
    {
        QString error;
        QCOMPARE(HelixJson::userId(R"({"data":[{"id":"141981764","login":"twitchdev"}]})"_ba,
                                   u"twitchdev"_s, &error),
                 std::optional<QString>(u"141981764"_s));
        QCOMPARE(HelixJson::userId(R"({"data":[]})"_ba, u"ghost"_s, &error), std::nullopt);
        QCOMPARE(error, u"twitch user ghost not found"_s);
    }

    void streams()
    {
        QString error;
        const std::optional<QList<HelixStream>> live = HelixJson::streams(
                R"({"data":[{"id":"40952121085","user_login":"alice","type":"live",
                    "title":"Race day","started_at":"2021-03-10T15:04:21Z"}],"pagination":{}})"_ba,
                &error);
        QVERIFY2(live, qPrintable(error));
        QCOMPARE(live->size(), 1);
        QCOMPARE(live->first().title, u"Race day"_s);
        QCOMPARE(live->first().startedAt, QDateTime(QDate(2021, 3, 10), QTime(15, 4, 21), Qt::UTC));
        QVERIFY(HelixJson::streams(R"({"data":[]})"_ba, &error)->isEmpty());
    }

    void failureQuotesFirst4KiB()
    {
        const QString text =
                HelixJson::failure(u"helix /helix/videos"_s, 400, QByteArray(5000, 'y'));
        QCOMPARE(text, u"helix /helix/videos failed: 400 (%1)"_s.arg(QString(4096, u'y')));
    }
};

QTEST_APPLESS_MAIN(HelixJsonTest)
#include "helixjson.moc"
