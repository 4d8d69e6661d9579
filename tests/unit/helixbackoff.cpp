#include "vod/helixbackoff.h"
#include "vod/helixsettings.h"
#include "vod/twitchapptoken.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using namespace std::chrono_literals;

class HelixBackoffTest final : public QObject
{
    Q_OBJECT

private slots:
    void failureBackoffDoublesToCap()
    {
        const HelixSettings settings;
        QCOMPARE(HelixBackoff::afterFailure(1, settings), 250ms);
        QCOMPARE(HelixBackoff::afterFailure(2, settings), 500ms);
        QCOMPARE(HelixBackoff::afterFailure(3, settings), 1000ms);
        QCOMPARE(HelixBackoff::afterFailure(4, settings), 2000ms);
        QCOMPARE(HelixBackoff::afterFailure(5, settings), 2000ms);
        QCOMPARE(HelixBackoff::afterFailure(60, settings), 2000ms);
    }

    void rateLimit_data()
    {
        const QDateTime now = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0, 250), Qt::UTC);
        const QByteArray epoch = QByteArray::number(now.toSecsSinceEpoch());
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("reset");
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("seconds") << "2"_ba << QByteArray() << now << qint64(2000);
        QTest::newRow("seconds as given") << "120"_ba << QByteArray() << now << qint64(120000);
        QTest::newRow("seconds win over reset") << "3"_ba << epoch + "0" << now << qint64(3000);
        QTest::newRow("date") << "Sun, 01 Mar 2026 12:00:05 GMT"_ba << QByteArray() << now
                              << qint64(4750);
        QTest::newRow("date capped") << "Sun, 01 Mar 2026 13:00:00 GMT"_ba << QByteArray() << now
                                     << qint64(30000);
        QTest::newRow("date passed") << "Sun, 01 Mar 2026 11:00:00 GMT"_ba << QByteArray() << now
                                     << qint64(0);
        QTest::newRow("reset") << QByteArray() << QByteArray::number(now.toSecsSinceEpoch() + 2)
                               << now << qint64(1750);
        QTest::newRow("reset capped") << QByteArray()
                                      << QByteArray::number(now.toSecsSinceEpoch() + 600) << now
                                      << qint64(30000);
        QTest::newRow("reset passed") << QByteArray()
                                      << QByteArray::number(now.toSecsSinceEpoch() - 5) << now
                                      << qint64(0);
        QTest::newRow("junk retry-after falls to reset")
                << "soon"_ba << QByteArray::number(now.toSecsSinceEpoch() + 1) << now
                << qint64(750);
        QTest::newRow("no hint") << QByteArray() << QByteArray() << now << qint64(1000);
        QTest::newRow("negative") << "-4"_ba << "x"_ba << now << qint64(1000);
    }

    void rateLimit()
    {
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, reset);
        QFETCH(QDateTime, now);
        QFETCH(qint64, ms);
        QCOMPARE(HelixBackoff::afterRateLimit(retryAfter, reset, now).count(), ms);
    }

    void endpointsKeepPrefix()
    {
        HelixSettings settings;
        QCOMPARE(settings.helixEndpoint(u"videos"_s).toString(),
                 u"https://api.twitch.tv/helix/videos"_s);
        QCOMPARE(settings.tokenEndpoint().toString(), u"https://id.twitch.tv/oauth2/token"_s);
        settings.helixUrl = QUrl(u"http://127.0.0.1:9000/twitch/"_s);
        settings.authUrl = QUrl(u"http://127.0.0.1:9001"_s);
        QCOMPARE(settings.helixEndpoint(u"users"_s).toString(),
                 u"http://127.0.0.1:9000/twitch/helix/users"_s);
        QCOMPARE(settings.tokenEndpoint().toString(), u"http://127.0.0.1:9001/oauth2/token"_s);
        QVERIFY(!settings.hasCredentials());
    }

    void maskedTail()
    {
        QCOMPARE(TwitchAppToken::maskedTail(u"abcdefghijklmnopqrstuvwxyz0123"_s), u"***0123"_s);
        QCOMPARE(TwitchAppToken::maskedTail(u"T1"_s), u"***"_s);
        QCOMPARE(TwitchAppToken::maskedTail(u"fifteen-chars-x"_s), u"***"_s);
    }
};

QTEST_APPLESS_MAIN(HelixBackoffTest)
#include "helixbackoff.moc"
