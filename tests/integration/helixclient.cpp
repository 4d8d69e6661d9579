#include "callbackwaiter.h"
#include "core/db/kvstore.h"
#include "core/db/migrationrunner.h"
#include "helixstandin.h"
#include "testdatabase.h"
#include "vod/catalogpass.h"
#include "vod/catalogscanner.h"
#include "vod/helixclient.h"
#include "vod/vodstore.h"
#include "vod/vodstoresink.h"

#include <QSqlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// The research's Helix scenarios 1-3 (vod-queue.md §9): the real HelixClient and CatalogScanner
// against the local Helix and id.twitch.tv stand-in, rows in the real vods table.
namespace {

const QString channel = u"alice"_s;
const QString userId = u"1001"_s;

QString vodId(int i)
{
    return QString::number(2000000000 + i);
}

// count archives, newest first: VOD i dated newest - i * step; VOD 0 lasts 1h2m3s.
QList<HelixStandin::Video> archive(int count, const QDateTime &newest, qint64 stepSeconds)
{
    QList<HelixStandin::Video> videos;
    for (int i = 0; i < count; ++i) {
        const QString duration =
                i == 0 ? u"1h2m3s"_s : u"%1h%2m%3s"_s.arg(i % 5).arg(i % 60).arg(i % 7);
        videos.append(
                {vodId(i), u"Stream %1"_s.arg(i), duration, newest.addSecs(-i * stepSeconds)});
    }
    return videos;
}

// Scenario 3: VOD i dated now - i days - 1 h.
QList<HelixStandin::Video> dailyArchive(int count)
{
    return archive(count, QDateTime::currentDateTimeUtc().addSecs(-3600), 24 * 3600);
}

HelixStandin::Response rateLimited(Pitwall::HttpHeaders headers)
{
    return HelixStandin::Response::with(
            429, R"({"error":"Too Many Requests","status":429,"message":"Request limit"})"_ba,
            std::move(headers));
}

} // namespace

class TestHelixClient final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void scenario1CatalogPages();
    void scenario2RetryAfterAndTokenRefresh();
    void scenario2RatelimitReset();
    void scenario2StreamsRetried();
    void scenario2PersistentFailureSurfaces();
    void scenario3MaxCount();
    void scenario3MaxAge();
    void discoveryTakesOnePage();
    void discoveryFailureIsReported();
    void abortStopsPaging();

private:
    CatalogResult run(CatalogScanner::Options options, CatalogResult::Kind kind);
    CatalogResult runCatalog(CatalogScanner::Options options = {})
    {
        return run(options, CatalogResult::Kind::Catalog);
    }
    qint64 rows() const;
    bool hasVod(const QString &id) const;
    std::optional<QString> savedCursor() const;
    int calls(const QString &endpoint, const QString &status) const;

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<HelixStandin> m_helix;
    std::unique_ptr<HelixClient> m_client;
    QList<std::pair<QString, QString>> m_apiCalls;
};

void TestHelixClient::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_helix = std::make_unique<HelixStandin>(u"pitwallclient0001"_s, u"pitwall-secret-7e1f93"_s);
    QVERIFY(m_helix->start());
    m_helix->addUser(channel, userId);
    m_client = std::make_unique<HelixClient>(m_helix->clientSettings());
    m_apiCalls.clear();
    connect(m_client.get(), &HelixClient::apiCall, this,
            [this](const QString &endpoint, const QString &status) {
                m_apiCalls.append({endpoint, status});
            });
}

void TestHelixClient::cleanup()
{
    m_client.reset();
    m_helix.reset();
    m_testDb.reset();
}

CatalogResult TestHelixClient::run(CatalogScanner::Options options, CatalogResult::Kind kind)
{
    CatalogScanner scanner(*m_client, m_testDb->database(), channel, options,
                           vodStoreSink(m_testDb->database()));
    std::optional<CatalogResult> result;
    const auto done = [&result](const CatalogResult &finished) { result = finished; };
    connect(&scanner, &CatalogScanner::catalogFinished, this, done);
    connect(&scanner, &CatalogScanner::discoveryFinished, this, done);
    const bool started = kind == CatalogResult::Kind::Catalog ? scanner.startCatalog()
                                                              : scanner.startDiscovery();
    if (!started || !QTest::qWaitFor([&result] { return result.has_value(); }, 30000))
        qFatal("the catalog run did not finish");
    if (result->kind != kind || result->channel != channel)
        qFatal("the result belongs to another run");
    return *result;
}

qint64 TestHelixClient::rows() const
{
    QSqlQuery query(m_testDb->database().connection());
    query.prepare(u"SELECT COUNT(*) FROM vods WHERE channel = ?"_s);
    query.addBindValue(channel);
    if (!query.exec() || !query.next())
        qFatal("counting vods failed");
    return query.value(0).toLongLong();
}

bool TestHelixClient::hasVod(const QString &id) const
{
    StoreError error;
    return VodStore(m_testDb->database()).get(id, &error).has_value();
}

std::optional<QString> TestHelixClient::savedCursor() const
{
    return KvStore(m_testDb->database().connection())
            .value(channel, QString::fromLatin1(CatalogPass::cursorKey));
}

int TestHelixClient::calls(const QString &endpoint, const QString &status) const
{
    return int(m_apiCalls.count({endpoint, status}));
}

void TestHelixClient::scenario1CatalogPages()
{
    m_helix->setVideos(userId, archive(237, QDateTime::currentDateTimeUtc(), 7200));

    const CatalogResult first = runCatalog();
    QVERIFY2(first.ok(), qPrintable(first.error));
    QCOMPARE(first.pages, 3);
    QCOMPARE(first.videos, 237);
    QCOMPARE(first.newRows, 237);
    QCOMPARE(first.stoppedBy, u"end"_s);

    const QList<HelixStandin::Request> pages = m_helix->requests(HelixStandin::videosPath);
    QCOMPARE(pages.size(), 3);
    QVERIFY(!pages[0].query.hasQueryItem(u"after"_s));
    QCOMPARE(pages[1].item(u"after"_s), u"c1"_s);
    QCOMPARE(pages[2].item(u"after"_s), u"c2"_s);
    for (const HelixStandin::Request &page : pages) {
        QCOMPARE(page.item(u"type"_s), u"archive"_s);
        QCOMPARE(page.item(u"user_id"_s), userId);
        QCOMPARE(page.item(u"first"_s), u"100"_s);
        QCOMPARE(page.header("Client-Id"), "pitwallclient0001"_ba);
        QCOMPARE(page.header("Authorization"), "Bearer T1"_ba);
    }
    for (int i = 1; i < 3; ++i) {
        const qint64 gap = pages[i].atMs - pages[i - 1].atMs;
        QVERIFY2(gap >= 1200, qPrintable(QString::number(gap)));
    }

    const QList<HelixStandin::Request> grants = m_helix->requests(HelixStandin::tokenPath);
    QCOMPARE(grants.size(), 1);
    const QUrlQuery form(QString::fromUtf8(grants[0].body));
    QCOMPARE(form.queryItemValue(u"grant_type"_s), u"client_credentials"_s);
    QCOMPARE(form.queryItemValue(u"client_id"_s), u"pitwallclient0001"_s);
    QCOMPARE(form.queryItemValue(u"client_secret"_s), u"pitwall-secret-7e1f93"_s);
    QCOMPARE(grants[0].header("Content-Type"), "application/x-www-form-urlencoded"_ba);

    QCOMPARE(rows(), 237);
    StoreError error;
    const std::optional<VodRecord> vod = VodStore(m_testDb->database()).get(vodId(0), &error);
    QVERIFY2(vod, qPrintable(error.message));
    QCOMPARE(vod->durationSeconds, 3723);
    QCOMPARE(vod->title, u"Stream 0"_s);
    QCOMPARE(vod->channel, channel);
    // Without an age limit the cursor of the last page that had one is kept.
    QCOMPARE(savedCursor(), std::optional<QString>(u"c2"_s));
    QCOMPARE(calls(u"videos"_s, u"200"_s), 3);
    QCOMPARE(calls(u"token"_s, u"200"_s), 1);

    const CatalogResult second = runCatalog();
    QVERIFY2(second.ok(), qPrintable(second.error));
    QCOMPARE(second.newRows, 0);
    QCOMPARE(second.pages, 1);
    QCOMPARE(m_helix->count(HelixStandin::videosPath), 4);
    QCOMPARE(m_helix->requests(HelixStandin::videosPath).last().item(u"after"_s), u"c2"_s);
    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 1);
    QCOMPARE(rows(), 237);
}

void TestHelixClient::scenario2RetryAfterAndTokenRefresh()
{
    m_helix->setVideos(userId, archive(237, QDateTime::currentDateTimeUtc(), 7200));
    m_helix->enqueue(HelixStandin::usersPath, 401);
    m_helix->passThrough(HelixStandin::videosPath);
    m_helix->enqueue(HelixStandin::videosPath, rateLimited({{"Retry-After", "2"}}));

    const CatalogResult result = runCatalog();
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.newRows, 237);
    QCOMPARE(rows(), 237);

    QCOMPARE(m_helix->count(HelixStandin::tokenPath), 2);
    const QList<HelixStandin::Request> users = m_helix->requests(HelixStandin::usersPath);
    QCOMPARE(users.size(), 2);
    QCOMPARE(users[0].header("Authorization"), "Bearer T1"_ba);
    QCOMPARE(users[1].header("Authorization"), "Bearer T2"_ba);

    const QList<HelixStandin::Request> pages = m_helix->requests(HelixStandin::videosPath);
    QCOMPARE(pages.size(), 4);
    QCOMPARE(pages[1].item(u"after"_s), u"c1"_s);
    QCOMPARE(pages[2].item(u"after"_s), u"c1"_s);
    QCOMPARE(pages[3].item(u"after"_s), u"c2"_s);
    for (const HelixStandin::Request &page : pages)
        QCOMPARE(page.header("Authorization"), "Bearer T2"_ba);
    const qint64 wait = pages[2].atMs - pages[1].atMs;
    QVERIFY2(wait >= 1990 && wait <= 5000, qPrintable(QString::number(wait)));
    QCOMPARE(calls(u"users"_s, u"401"_s), 1);
    QCOMPARE(calls(u"videos"_s, u"429"_s), 1);
    QCOMPARE(calls(u"token"_s, u"200"_s), 2);
}

void TestHelixClient::scenario2RatelimitReset()
{
    m_helix->setVideos(userId, archive(237, QDateTime::currentDateTimeUtc(), 7200));
    m_helix->passThrough(HelixStandin::videosPath);
    HelixStandin::Response limited = rateLimited({});
    limited.ratelimitResetIn = 2;
    m_helix->enqueue(HelixStandin::videosPath, limited);

    const CatalogResult result = runCatalog();
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(rows(), 237);
    const QList<HelixStandin::Request> pages = m_helix->requests(HelixStandin::videosPath);
    QCOMPARE(pages.size(), 4);
    QCOMPARE(pages[2].item(u"after"_s), u"c1"_s);
    // The reset epoch is whole seconds: now + 2 lies between 1 and 2 s ahead.
    const qint64 wait = pages[2].atMs - pages[1].atMs;
    QVERIFY2(wait >= 990 && wait <= 4000, qPrintable(QString::number(wait)));
}

void TestHelixClient::scenario2StreamsRetried()
{
    const QDateTime startedAt = QDateTime::currentDateTimeUtc().addSecs(-600);
    m_helix->setLive(channel, startedAt, u"Race day"_s);
    m_helix->enqueue(HelixStandin::streamsPath, 503, 3);

    QObject context;
    CallbackWaiter<HelixResult<QList<HelixStream>>> live;
    m_client->streams(channel, &context, live.callback());
    QVERIFY(live.wait());
    QVERIFY2(live.value().ok(), qPrintable(live.value().error));
    QCOMPARE(live.value().value->size(), 1);
    QCOMPARE(live.value().value->first().title, u"Race day"_s);
    QCOMPARE(live.value().value->first().startedAt.toSecsSinceEpoch(),
             startedAt.toSecsSinceEpoch());

    const QList<HelixStandin::Request> hits = m_helix->requests(HelixStandin::streamsPath);
    QCOMPARE(hits.size(), 4);
    QCOMPARE(hits[0].item(u"user_login"_s), channel);
    // Backoff 250 ms, 500 ms, 1 s.
    QVERIFY(hits[1].atMs - hits[0].atMs >= 250);
    QVERIFY(hits[2].atMs - hits[1].atMs >= 500);
    QVERIFY(hits[3].atMs - hits[2].atMs >= 1000);
    QCOMPARE(calls(u"streams"_s, u"503"_s), 3);
    QCOMPARE(calls(u"streams"_s, u"200"_s), 1);
    QCOMPARE(live.calls(), 1);

    m_helix->setOffline(channel);
    CallbackWaiter<HelixResult<QList<HelixStream>>> offline;
    m_client->streams(channel, &context, offline.callback());
    QVERIFY(offline.wait());
    QVERIFY(offline.value().ok());
    QVERIFY(offline.value().value->isEmpty());
}

void TestHelixClient::scenario2PersistentFailureSurfaces()
{
    m_helix->enqueue(HelixStandin::streamsPath, 503, 4);
    QObject context;
    CallbackWaiter<HelixResult<QList<HelixStream>>> live;
    m_client->streams(channel, &context, live.callback());
    QVERIFY(live.wait());
    QVERIFY(!live.value().ok());
    QVERIFY2(live.value().error.startsWith(u"helix /helix/streams failed: 503 ("_s),
             qPrintable(live.value().error));
    QCOMPARE(m_helix->count(HelixStandin::streamsPath), 4);

    m_helix->setVideos(userId, archive(237, QDateTime::currentDateTimeUtc(), 7200));
    m_helix->enqueue(HelixStandin::videosPath, 503, 4);
    const CatalogResult result = runCatalog();
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"helix /helix/videos failed: 503 ("_s),
             qPrintable(result.error));
    QCOMPARE(result.pages, 0);
    QCOMPARE(m_helix->count(HelixStandin::videosPath), 4);
    QCOMPARE(rows(), 0);
    QCOMPARE(savedCursor(), std::nullopt);
}

void TestHelixClient::scenario3MaxCount()
{
    m_helix->setVideos(userId, dailyArchive(250));
    CatalogScanner::Options options;
    options.maxCount = 150;
    const CatalogResult result = runCatalog(options);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.videos, 150);
    QCOMPARE(result.stoppedBy, u"max count"_s);
    QCOMPARE(rows(), 150);
    QVERIFY(hasVod(vodId(149)));
    QVERIFY(!hasVod(vodId(150)));

    QTest::qWait(1500);
    const QList<HelixStandin::Request> pages = m_helix->requests(HelixStandin::videosPath);
    QCOMPARE(pages.size(), 2);
    QCOMPARE(pages[0].item(u"first"_s), u"100"_s);
    QCOMPARE(pages[1].item(u"first"_s), u"100"_s);
    // Page 2 was cut short: the next run reads it again from the previous cursor.
    QCOMPARE(savedCursor(), std::optional<QString>(u"c1"_s));

    const CatalogResult next = runCatalog(options);
    QVERIFY2(next.ok(), qPrintable(next.error));
    QCOMPARE(m_helix->requests(HelixStandin::videosPath)[2].item(u"after"_s), u"c1"_s);
    QCOMPARE(next.newRows, 100);
    QCOMPARE(rows(), 250);
}

void TestHelixClient::scenario3MaxAge()
{
    m_helix->setVideos(userId, dailyArchive(250));
    CatalogScanner::Options options;
    options.maxAgeDays = 30;
    const CatalogResult result = runCatalog(options);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.stoppedBy, u"max age"_s);
    QCOMPARE(result.pages, 1);
    QCOMPARE(rows(), 30);
    QVERIFY(hasVod(vodId(0)));
    QVERIFY(hasVod(vodId(29)));
    QVERIFY(!hasVod(vodId(30)));
    QTest::qWait(1500);
    QCOMPARE(m_helix->count(HelixStandin::videosPath), 1);
    // With an age limit every run starts at the newest page.
    QCOMPARE(savedCursor(), std::nullopt);
}

void TestHelixClient::discoveryTakesOnePage()
{
    m_helix->setVideos(userId, archive(237, QDateTime::currentDateTimeUtc(), 7200));
    const CatalogResult first = run({}, CatalogResult::Kind::Discovery);
    QVERIFY2(first.ok(), qPrintable(first.error));
    QCOMPARE(first.stoppedBy, u"one page"_s);
    QCOMPARE(first.newRows, 20);
    const CatalogResult again = run({}, CatalogResult::Kind::Discovery);
    QCOMPARE(again.newRows, 0);

    const QList<HelixStandin::Request> pages = m_helix->requests(HelixStandin::videosPath);
    QCOMPARE(pages.size(), 2);
    for (const HelixStandin::Request &page : pages) {
        QCOMPARE(page.item(u"first"_s), u"20"_s);
        QVERIFY(!page.query.hasQueryItem(u"after"_s));
    }
    QCOMPARE(rows(), 20);
    QCOMPARE(savedCursor(), std::nullopt);
}

void TestHelixClient::discoveryFailureIsReported()
{
    m_helix->enqueue(HelixStandin::usersPath, 500, 4);
    CatalogScanner scanner(*m_client, m_testDb->database(), channel, {},
                           vodStoreSink(m_testDb->database()));
    std::optional<CatalogResult> result;
    connect(&scanner, &CatalogScanner::discoveryFinished, this,
            [&result](const CatalogResult &finished) { result = finished; });
    QVERIFY(scanner.startDiscovery());
    QVERIFY(scanner.isDiscoveryRunning());
    QVERIFY(!scanner.startDiscovery());

    // The client keeps serving other callers while discovery retries.
    m_helix->setLive(channel, QDateTime::currentDateTimeUtc(), u"live"_s);
    QObject context;
    CallbackWaiter<HelixResult<QList<HelixStream>>> live;
    m_client->streams(channel, &context, live.callback());
    QVERIFY(live.wait());
    QVERIFY(live.value().ok());
    QVERIFY(!result.has_value());

    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    QVERIFY(!result->ok());
    QVERIFY2(result->error.startsWith(u"helix /helix/users failed: 500 ("_s),
             qPrintable(result->error));
    QVERIFY(!scanner.isDiscoveryRunning());
    QCOMPARE(m_helix->count(HelixStandin::usersPath), 4);
    QCOMPARE(rows(), 0);
}

void TestHelixClient::abortStopsPaging()
{
    m_helix->setVideos(userId, archive(237, QDateTime::currentDateTimeUtc(), 7200));
    CatalogScanner scanner(*m_client, m_testDb->database(), channel, {},
                           vodStoreSink(m_testDb->database()));
    bool finished = false;
    connect(&scanner, &CatalogScanner::catalogFinished, this, [&finished] { finished = true; });
    QVERIFY(scanner.startCatalog());
    QTRY_COMPARE_WITH_TIMEOUT(rows(), 100, 15000);
    scanner.abort();
    QVERIFY(!scanner.isCatalogRunning());
    QTest::qWait(2000);
    QCOMPARE(m_helix->count(HelixStandin::videosPath), 1);
    QVERIFY(!finished);
    QCOMPARE(m_client->pendingCalls(), 0);
    QCOMPARE(savedCursor(), std::optional<QString>(u"c1"_s));
}

QTEST_GUILESS_MAIN(TestHelixClient)
#include "helixclient.moc"
