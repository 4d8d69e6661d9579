#include "callbackwaiter.h"
#include "core/log/logring.h"
#include "core/log/logsink.h"
#include "helixstandin.h"
#include "vod/helixclient.h"

#include <QTcpServer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// HelixClient's own rules against the local Helix and id.twitch.tv stand-in: the app token's
// cache and renewal, the attempt budget, errors, secrets in logs, and dropping calls.
namespace {

const QString clientId = u"pitwallclient0002"_s;
const QString clientSecret = u"pitwall-secret-40c2aa"_s;

using UserIdWaiter = CallbackWaiter<HelixResult<QString>>;

} // namespace

class TestHelixCalls final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void tokenCachedAndShared();
    void tokenRenewedBeforeExpiry();
    void unauthorizedOnLastAttemptStillRetries();
    void unauthorizedTwiceFails();
    void tokenFailures();
    void missingCredentials();
    void otherStatusQuotesBody();
    void unknownUser();
    void transportErrorsRetried();
    void secretsNeverLogged();
    void contextDestroyedDropsCall();
    void abortDuringBackoff();
    void destroyedMidRequest();

private:
    // A client with these settings in m_client, its calls counted in m_apiCalls.
    void makeClient(const HelixSettings &settings);
    HelixResult<QString> userId(const QString &login = u"alice"_s);

    std::unique_ptr<HelixStandin> m_helix;
    std::unique_ptr<HelixClient> m_client;
    QList<std::pair<QString, QString>> m_apiCalls;
};

void TestHelixCalls::init()
{
    m_helix = std::make_unique<HelixStandin>(clientId, clientSecret);
    QVERIFY(m_helix->start());
    m_helix->addUser(u"alice"_s, u"1001"_s);
    makeClient(m_helix->clientSettings());
}

void TestHelixCalls::cleanup()
{
    m_client.reset();
    m_helix.reset();
}

void TestHelixCalls::makeClient(const HelixSettings &settings)
{
    m_client = std::make_unique<HelixClient>(settings);
    m_apiCalls.clear();
    connect(m_client.get(), &HelixClient::apiCall, this,
            [this](const QString &endpoint, const QString &status) {
                m_apiCalls.append({endpoint, status});
            });
}

HelixResult<QString> TestHelixCalls::userId(const QString &login)
{
    QObject context;
    UserIdWaiter waiter;
    m_client->userId(login, &context, waiter.callback());
    if (!waiter.wait())
        qFatal("userId did not finish");
    return waiter.value();
}

void TestHelixCalls::tokenCachedAndShared()
{
    QObject context;
    std::array<UserIdWaiter, 3> waiters;
    for (UserIdWaiter &waiter : waiters)
        m_client->userId(u"alice"_s, &context, waiter.callback());
    QCOMPARE(m_client->pendingCalls(), 3);
    for (UserIdWaiter &waiter : waiters) {
        QVERIFY(waiter.wait());
        QCOMPARE(waiter.value().value, std::optional<QString>(u"1001"_s));
    }
    QCOMPARE(userId().value, std::optional<QString>(u"1001"_s));
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 1);
    QCOMPARE(m_helix->count(HelixStandin::usersPath), 4);
    QCOMPARE(m_apiCalls.count({u"token"_s, u"200"_s}), 1);
    QCOMPARE(m_apiCalls.count({u"users"_s, u"200"_s}), 4);
    QCOMPARE(m_client->pendingCalls(), 0);
}

void TestHelixCalls::tokenRenewedBeforeExpiry()
{
    // 30 s of validity is less than the 60 s margin: every call asks for a new one.
    m_helix->setTokenLifetime(30);
    QVERIFY(userId().ok());
    QVERIFY(userId().ok());
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 2);
    QCOMPARE(m_helix->requests(HelixStandin::usersPath).last().header("Authorization"),
             "Bearer T2"_ba);

    // A token the stand-in no longer accepts is renewed on its 401.
    m_helix->setTokenLifetime(3600);
    QVERIFY(userId().ok());
    m_helix->expireTokens();
    QVERIFY(userId().ok());
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 4);
    QCOMPARE(m_apiCalls.count({u"users"_s, u"401"_s}), 1);
}

void TestHelixCalls::unauthorizedOnLastAttemptStillRetries()
{
    m_helix->addUser(u"bob"_s, u"1002"_s);
    m_helix->setVideos(u"1002"_s, {{u"77"_s, u"one"_s, u"45s"_s, QDateTime::currentDateTimeUtc()}});
    m_helix->enqueue(HelixStandin::videosPath, 503, 3);
    m_helix->enqueue(HelixStandin::videosPath, 401);

    QObject context;
    CallbackWaiter<HelixResult<HelixVideoPage>> page;
    m_client->videos(u"1002"_s, 0, {}, &context, page.callback());
    QVERIFY(page.wait());
    QVERIFY2(page.value().ok(), qPrintable(page.value().error));
    QCOMPARE(page.value().value->videos.size(), 1);
    QCOMPARE(page.value().value->videos.first().durationSeconds, 45);
    QVERIFY(page.value().value->cursor.isEmpty());

    const QList<HelixStandin::Request> hits = m_helix->requests(HelixStandin::videosPath);
    QCOMPARE(hits.size(), 5);
    QCOMPARE(hits.first().item(u"first"_s), u"20"_s);
    QCOMPARE(hits.last().header("Authorization"), "Bearer T2"_ba);
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 2);
}

void TestHelixCalls::unauthorizedTwiceFails()
{
    m_helix->enqueue(HelixStandin::usersPath, 401, 2);
    const HelixResult<QString> result = userId();
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"helix /helix/users failed: 401 ("_s),
             qPrintable(result.error));
    QCOMPARE(m_helix->count(HelixStandin::usersPath), 2);
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 2);
}

void TestHelixCalls::tokenFailures()
{
    m_helix->enqueue(HelixStandin::tokenPath,
                     HelixStandin::Response::with(200, R"({"access_token":"","expires_in":3600})"));
    HelixResult<QString> result = userId();
    QCOMPARE(result.error, u"twitch app token failed: the answer has no access_token"_s);
    QCOMPARE(m_helix->count(HelixStandin::usersPath), 0);

    HelixSettings wrong = m_helix->clientSettings();
    wrong.clientSecret = u"not-the-secret-9999"_s;
    makeClient(wrong);
    result = userId();
    QVERIFY2(result.error.startsWith(u"twitch app token failed: 403 ("_s),
             qPrintable(result.error));
    QVERIFY(result.error.contains(u"invalid client secret"_s));
    QVERIFY(!result.error.contains(wrong.clientSecret));
    QCOMPARE(m_helix->count(HelixStandin::usersPath), 0);
}

void TestHelixCalls::missingCredentials()
{
    HelixSettings none = m_helix->clientSettings();
    none.clientSecret.clear();
    makeClient(none);
    const HelixResult<QString> result = userId();
    QCOMPARE(result.error, u"twitch client id and secret are not configured"_s);
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 0);
}

void TestHelixCalls::otherStatusQuotesBody()
{
    m_helix->enqueue(HelixStandin::usersPath,
                     HelixStandin::Response::with(404, QByteArray(10000, 'x')));
    const HelixResult<QString> result = userId();
    QCOMPARE(result.error, u"helix /helix/users failed: 404 (%1)"_s.arg(QString(4096, u'x')));
    QCOMPARE(m_helix->count(HelixStandin::usersPath), 1);
}

void TestHelixCalls::unknownUser()
{
    const HelixResult<QString> result = userId(u"nobody"_s);
    QCOMPARE(result.error, u"twitch user nobody not found"_s);
    QCOMPARE(m_helix->requests(HelixStandin::usersPath).first().item(u"login"_s), u"nobody"_s);
}

void TestHelixCalls::transportErrorsRetried()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    HelixSettings settings = m_helix->clientSettings();
    settings.helixUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    makeClient(settings);

    QElapsedTimer elapsed;
    elapsed.start();
    const HelixResult<QString> result = userId();
    QVERIFY2(result.error.startsWith(u"helix /helix/users failed: "_s), qPrintable(result.error));
    // 250 + 500 + 1000 ms between the four attempts.
    QVERIFY(elapsed.elapsed() >= 1750);
    QCOMPARE(m_apiCalls.count({u"users"_s, u"error"_s}), 4);
    QCOMPARE(m_apiCalls.count({u"token"_s, u"200"_s}), 1);
}

void TestHelixCalls::secretsNeverLogged()
{
    LogRing ring;
    FILE *devNull = std::fopen("/dev/null", "w");
    QVERIFY(devNull);
    LogSink::install({LogLevel::Debug, LogFormat::Json, &ring, devNull, nullptr});
    const QString tokenPrefix = u"pitwalltoken0123456789abc"_s;
    m_helix->setTokenPrefix(tokenPrefix);
    QVERIFY(userId().ok());
    LogSink::uninstall();
    std::fclose(devNull);

    const QString token = tokenPrefix + u"1"_s;
    QCOMPARE(m_helix->grantedTokens(), QStringList{token});
    bool acquired = false;
    for (const LogEntry &entry : ring.entriesSince(0, LogRing::DefaultCapacity)) {
        const QString line = QString::fromUtf8(QJsonDocument(entry.toJson()).toJson());
        QVERIFY2(!line.contains(clientSecret) && !line.contains(token), qPrintable(line));
        if (entry.message == u"twitch app token acquired") {
            acquired = true;
            QCOMPARE(entry.component, u"vod"_s);
            QCOMPARE(entry.fields.value(u"token"_s).toString(), u"***abc1"_s);
            QCOMPARE(entry.fields.value(u"expires_in_s"_s).toInteger(), 3600);
        }
    }
    QVERIFY(acquired);
}

void TestHelixCalls::contextDestroyedDropsCall()
{
    m_helix->enqueue(HelixStandin::usersPath,
                     HelixStandin::Response::with(200, R"({"data":[{"id":"1001"}]})", {},
                                                  std::chrono::milliseconds(800)));
    auto context = std::make_unique<QObject>();
    UserIdWaiter dropped;
    m_client->userId(u"alice"_s, context.get(), dropped.callback());
    QTRY_COMPARE(m_helix->count(HelixStandin::usersPath), 1);
    context.reset();
    QCOMPARE(m_client->pendingCalls(), 0);
    QTest::qWait(1200);
    QVERIFY(!dropped.called());

    // The client goes on serving other contexts.
    QCOMPARE(userId().value, std::optional<QString>(u"1001"_s));
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 1);
}

void TestHelixCalls::abortDuringBackoff()
{
    m_helix->enqueue(HelixStandin::streamsPath, 503);
    QObject context;
    CallbackWaiter<HelixResult<QList<HelixStream>>> live;
    m_client->streams(u"alice"_s, &context, live.callback());
    QTRY_COMPARE(m_helix->count(HelixStandin::streamsPath), 1);
    QTRY_COMPARE(m_apiCalls.count({u"streams"_s, u"503"_s}), 1);
    m_client->abort();
    QCOMPARE(m_client->pendingCalls(), 0);
    QTest::qWait(1000);
    QCOMPARE(m_helix->count(HelixStandin::streamsPath), 1);
    QVERIFY(!live.called());
}

void TestHelixCalls::destroyedMidRequest()
{
    m_helix->enqueue(HelixStandin::streamsPath,
                     HelixStandin::Response::with(200, R"({"data":[]})", {},
                                                  std::chrono::milliseconds(800)));
    QObject context;
    CallbackWaiter<HelixResult<QList<HelixStream>>> live;
    m_client->streams(u"alice"_s, &context, live.callback());
    QTRY_COMPARE(m_helix->count(HelixStandin::streamsPath), 1);
    m_client.reset();
    QTest::qWait(1200);
    QVERIFY(!live.called());
}

QTEST_GUILESS_MAIN(TestHelixCalls)
#include "helixcalls.moc"
