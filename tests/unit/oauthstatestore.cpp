#include "vod/oauthprovider.h"
#include "vod/oauthstatestore.h"
#include "vod/vodconfig.h"

#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace Pitwall;

// The OAuth flows' states (single use, bound to a provider, expiring, capped) and the
// authorize URLs the providers are sent (research §1.1, §1.5, §1.8).
class OAuthStateStoreTest final : public QObject
{
    Q_OBJECT

private slots:
    void statesAreRandomAndSingleUse()
    {
        OAuthStateStore store(10min);
        const std::optional<QString> first = store.issue(u"twitch"_s);
        const std::optional<QString> second = store.issue(u"twitch"_s);
        QVERIFY(first && second);
        QVERIFY(*first != *second);
        QVERIFY(QRegularExpression(u"^[0-9a-f]{32}$"_s).match(*first).hasMatch());
        QCOMPARE(store.pending(), 2);
        QVERIFY(store.take(*first, u"twitch"_s));
        QVERIFY(!store.take(*first, u"twitch"_s));
        QVERIFY(!store.take(u"not-issued"_s, u"twitch"_s));
        QCOMPARE(store.pending(), 1);
    }

    void stateIsBoundToItsProvider()
    {
        OAuthStateStore store(10min);
        const QString state = *store.issue(u"youtube"_s);
        QVERIFY(!store.take(state, u"twitch"_s));
        // The foreign attempt spent it.
        QVERIFY(!store.take(state, u"youtube"_s));
    }

    void expiredStatesAreRefusedAndForgotten()
    {
        OAuthStateStore store(1ms, 2);
        const QString state = *store.issue(u"twitch"_s);
        QVERIFY(store.issue(u"twitch"_s));
        QThread::msleep(20);
        QVERIFY(!store.take(state, u"twitch"_s));
        // Full of expired states: the next issue makes room.
        QVERIFY(store.issue(u"twitch"_s));
        QCOMPARE(store.pending(), 1);
    }

    void capacityBoundsPendingStates()
    {
        OAuthStateStore store(10min, 2);
        const QString first = *store.issue(u"twitch"_s);
        QVERIFY(store.issue(u"youtube"_s));
        QVERIFY(!store.issue(u"twitch"_s));
        QVERIFY(store.take(first, u"twitch"_s));
        QVERIFY(store.issue(u"twitch"_s));
    }

    void authorizeUrls()
    {
        VodConfig config;
        config.helix.authUrl = QUrl(u"http://127.0.0.1:9000/base/"_s);
        config.helix.clientId = u"cid"_s;
        config.oauth.twitchRedirectUri = QUrl(u"https://ops.example/auth/twitch/callback"_s);
        const QUrl twitch = OAuthProvider::twitch(config).authorizeRequest(u"s1"_s);
        QCOMPARE(twitch.toString(QUrl::RemoveQuery),
                 u"http://127.0.0.1:9000/base/oauth2/authorize"_s);
        QCOMPARE(twitch.query(QUrl::FullyEncoded),
                 u"response_type=code&client_id=cid&redirect_uri=https%3A%2F%2Fops.example%2Fauth"
                 "%2Ftwitch%2Fcallback&scope=chat%3Aread%20chat%3Aedit&state=s1"_s);

        config.upload.clientId = u"gid"_s;
        const QUrl google = OAuthProvider::youtube(config).authorizeRequest(u"s2"_s);
        QCOMPARE(google.toString(QUrl::RemoveQuery),
                 u"https://accounts.google.com/o/oauth2/v2/auth"_s);
        const QUrlQuery query(google);
        QCOMPARE(query.queryItemValue(u"scope"_s, QUrl::FullyDecoded),
                 u"https://www.googleapis.com/auth/youtube.upload"_s);
        QCOMPARE(query.queryItemValue(u"access_type"_s), u"offline"_s);
        QCOMPARE(query.queryItemValue(u"prompt"_s), u"consent"_s);
        QCOMPARE(query.queryItemValue(u"state"_s), u"s2"_s);
    }
};

QTEST_APPLESS_MAIN(OAuthStateStoreTest)
#include "oauthstatestore.moc"
