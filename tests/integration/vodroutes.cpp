#include "core/db/migrationrunner.h"
#include "core/metrics/metricsregistry.h"
#include "vod/vodengine.h"
#include "vod/vodstore.h"

#include "helixstandin.h"
#include "httpclient.h"
#include "httptestserver.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString adminToken = u"s3cret-admin-token"_s;

QHash<QByteArray, QByteArray> authorized(QHash<QByteArray, QByteArray> headers = {})
{
    headers.insert("X-Admin-Token", adminToken.toUtf8());
    return headers;
}

QJsonObject envelope(const QString &code, const QString &message)
{
    return {{u"code"_s, code}, {u"message"_s, message}};
}

QDateTime daysAgo(int days)
{
    return QDateTime::currentDateTimeUtc().addDays(-days);
}

QStringList ids(const QJsonArray &array)
{
    QStringList out;
    for (const QJsonValue &item : array)
        out << item.toObject().value(u"id"_s).toString();
    return out;
}

} // namespace

// The VOD API over real HTTP on the real tables, in the dialect under test, with the real
// engine behind the changing routes (research §3 shapes; scenario 18's guard and rate limit).
class VodRoutesTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void listAndDetail();
    void progressAndDescription();
    void cancelAndReprocess();
    void priorityAndSkipUpload();
    void adminGuardAndRateLimit();
    void basicCredentials();
    void monitorShowsTheChannel();
    void scanAndCatalog();

private:
    VodConfig config() const;
    void start(const VodConfig &config, AdminGuard guard = AdminGuard(adminToken));
    HttpReply get(const QString &path, const QHash<QByteArray, QByteArray> &headers = {});
    HttpReply send(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    void seed(const QString &channel, const QList<DiscoveredVod> &vods);
    VodRecord row(const QString &id);

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<HttpTestServer> m_http;
    std::unique_ptr<VodEngine> m_engine;
};

void VodRoutesTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_metrics = std::make_unique<MetricsRegistry>();
}

void VodRoutesTest::cleanup()
{
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
    m_http.reset();
    m_metrics.reset();
    m_testDb.reset();
}

VodConfig VodRoutesTest::config() const
{
    VodConfig config;
    config.download.dataDir = m_testDb->scratchDir();
    // No yt-dlp at this path: a claimed VOD fails at once instead of reaching for the internet.
    config.download.ytDlpProgram = m_testDb->scratchDir() + u"/no-yt-dlp"_s;
    // One yt-dlp invocation per cycle, two cycles before a VOD is given up.
    config.download.maxAttempts = 2;
    config.download.backoffBase = std::chrono::milliseconds(0);
    return config;
}

void VodRoutesTest::start(const VodConfig &config, AdminGuard guard)
{
    m_http = std::make_unique<HttpTestServer>(HttpLimits{}, std::move(guard));
    m_engine = std::make_unique<VodEngine>(m_testDb->database(), m_http->router(), *m_metrics,
                                           config, u"routes-test"_s);
    QVERIFY(m_http->start());
}

HttpReply VodRoutesTest::get(const QString &path, const QHash<QByteArray, QByteArray> &headers)
{
    return HttpClient::get(m_http->url(path), headers);
}

HttpReply VodRoutesTest::send(const QByteArray &method, const QString &path,
                              const QJsonObject &body)
{
    return HttpClient::request(method, m_http->url(path),
                               authorized({{"Content-Type", "application/json"}}),
                               body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
}

void VodRoutesTest::seed(const QString &channel, const QList<DiscoveredVod> &vods)
{
    StoreError error;
    QCOMPARE(VodStore(m_testDb->database()).upsertDiscovered(channel, vods, &error),
             std::optional<int>(int(vods.size())));
}

VodRecord VodRoutesTest::row(const QString &id)
{
    StoreError error;
    const std::optional<VodRecord> vod = VodStore(m_testDb->database()).get(id, &error);
    if (!vod)
        qFatal("no row %s: %s", qPrintable(id), qPrintable(error.message));
    return *vod;
}

void VodRoutesTest::listAndDetail()
{
    start(config());
    seed(u"alice"_s, {{u"a1"_s, u"First"_s, daysAgo(3), 3723},
                      {u"a2"_s, u"Second"_s, daysAgo(2), 60},
                      {u"a3"_s, u"Third"_s, daysAgo(1), 61}});
    seed(u"bob"_s, {{u"b1"_s, u"Bob's"_s, daysAgo(5), 10}});

    // Reads need no credentials; newest first across channels.
    HttpReply reply = get(u"/vods"_s);
    QCOMPARE(reply.status, 200);
    QCOMPARE(ids(reply.json().array()), (QStringList{u"a3"_s, u"a2"_s, u"a1"_s, u"b1"_s}));
    const QJsonObject item = reply.json().array().at(0).toObject();
    const QStringList keys = item.keys();
    QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()),
             (QSet<QString>{u"id"_s, u"title"_s, u"date"_s, u"youtube_url"_s, u"processed"_s,
                            u"channel"_s, u"state"_s, u"priority"_s}));
    QCOMPARE(item.value(u"state"_s).toString(), u"queued"_s);
    QVERIFY(item.value(u"youtube_url"_s).isNull());
    QCOMPARE(item.value(u"processed"_s).toBool(), false);

    QCOMPARE(ids(get(u"/vods?channel=bob"_s).json().array()), QStringList{u"b1"_s});
    QCOMPARE(ids(get(u"/vods?limit=2&offset=1"_s).json().array()),
             (QStringList{u"a2"_s, u"a1"_s}));
    // Out-of-range limits fall back to 50, as the reference does.
    QCOMPARE(get(u"/vods?limit=500"_s).json().array().size(), 4);
    QCOMPARE(get(u"/vods?limit=0"_s).json().array().size(), 4);

    reply = get(u"/vods/a1"_s);
    QCOMPARE(reply.status, 200);
    const QJsonObject detail = reply.json().object();
    for (const QString &key : {u"date"_s, u"id"_s, u"title"_s, u"youtube_url"_s,
                               u"downloaded_path"_s, u"download_state"_s, u"description"_s,
                               u"duration_seconds"_s, u"download_retries"_s, u"download_total"_s,
                               u"processed"_s, u"upload_attempts"_s, u"next_attempt_at"_s,
                               u"skip_upload"_s, u"processing_error"_s})
        QVERIFY2(detail.contains(key), qPrintable(key));
    QCOMPARE(detail.value(u"duration_seconds"_s).toInt(), 3723);
    QCOMPARE(detail.value(u"channel"_s).toString(), u"alice"_s);

    reply = get(u"/vods/nope"_s);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json().object(), envelope(u"NOT_FOUND"_s, u"vod not found"_s));
}

void VodRoutesTest::progressAndDescription()
{
    start(config());
    seed(u"alice"_s, {{u"p1"_s, u"Progress"_s, daysAgo(1), 100}});
    QJsonObject progress = get(u"/vods/p1/progress"_s).json().object();
    QCOMPARE(progress.value(u"vod_id"_s).toString(), u"p1"_s);
    QCOMPARE(progress.value(u"percent"_s).toDouble(), 0.0);
    QCOMPARE(progress.value(u"vod_state"_s).toString(), u"queued"_s);
    QCOMPARE(progress.value(u"retries"_s).toInt(), 0);
    for (const QString &key : {u"state"_s, u"total_bytes"_s, u"downloaded_path"_s,
                               u"processed"_s, u"processing_error"_s, u"youtube_url"_s,
                               u"progress_updated_at"_s})
        QVERIFY2(progress.contains(key), qPrintable(key));

    QCOMPARE(get(u"/vods/p1/description"_s).json().object(),
             (QJsonObject{{u"vod_id"_s, u"p1"_s}, {u"description"_s, u""_s}}));
    QCOMPARE(send("PUT", u"/vods/p1/description"_s,
                  {{u"description"_s, u"  Finals, day 2  "_s}}).status, 204);
    QCOMPARE(get(u"/vods/p1/description"_s).json().object().value(u"description"_s).toString(),
             u"Finals, day 2"_s);
    QCOMPARE(send("PATCH", u"/vods/p1/description"_s, {{u"description"_s, u"Day 2"_s}}).status,
             204);
    QCOMPARE(row(u"p1"_s).description, u"Day 2"_s);
    const HttpReply bad = send("PUT", u"/vods/p1/description"_s, {{u"text"_s, u"x"_s}});
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.json().object(), envelope(u"BAD_REQUEST"_s, u"invalid json"_s));
    QCOMPARE(send("PUT", u"/vods/zz/description"_s, {{u"description"_s, u"x"_s}}).status, 404);
}

void VodRoutesTest::cancelAndReprocess()
{
    start(config());
    seed(u"alice"_s, {{u"c1"_s, u"Cancel me"_s, daysAgo(1), 100}});
    QSignalSpy changes(m_engine.get(), &VodEngine::vodChanged);

    // A queued VOD is canceled as such (202); there is nothing left to cancel the second time.
    QCOMPARE(send("POST", u"/vods/c1/cancel"_s).status, 202);
    QCOMPARE(row(u"c1"_s).state, VodState::Canceled);
    QCOMPARE(send("POST", u"/vods/c1/cancel"_s).status, 204);
    QCOMPARE(send("POST", u"/vods/nope/cancel"_s).status, 404);
    QCOMPARE(row(u"c1"_s).downloadAttempts, 0);

    QCOMPARE(send("POST", u"/vods/c1/reprocess"_s).status, 204);
    QCOMPARE(row(u"c1"_s).state, VodState::Queued);
    QCOMPARE(send("POST", u"/vods/nope/reprocess"_s).status, 404);

    // The console hears of both changes.
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.at(0).at(0).value<VodRecord>().state, VodState::Canceled);
    QCOMPARE(changes.at(1).at(0).value<VodRecord>().state, VodState::Queued);
}

void VodRoutesTest::priorityAndSkipUpload()
{
    start(config());
    seed(u"alice"_s, {{u"s1"_s, u"Settings"_s, daysAgo(1), 100}});
    for (const QByteArray method : {"POST", "PUT"}) {
        HttpReply reply = send(method, u"/admin/vod/priority"_s,
                               {{u"vod_id"_s, u"s1"_s}, {u"priority"_s, 10}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object(), (QJsonObject{{u"status"_s, u"ok"_s},
                                                     {u"vod_id"_s, u"s1"_s},
                                                     {u"priority"_s, 10}}));
    }
    QCOMPARE(row(u"s1"_s).priority, 10);
    QCOMPARE(send("POST", u"/admin/vod/priority"_s, {{u"vod_id"_s, u"s1"_s}, {u"priority"_s, -3}})
                     .status, 200);
    QCOMPARE(row(u"s1"_s).priority, -3);

    HttpReply reply = send("POST", u"/admin/vod/skip-upload"_s,
                           {{u"vod_id"_s, u"s1"_s}, {u"skip_upload"_s, true}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object(), (QJsonObject{{u"status"_s, u"ok"_s}, {u"vod_id"_s, u"s1"_s},
                                                 {u"skip_upload"_s, true}}));
    QVERIFY(row(u"s1"_s).skipUpload);

    const QList<std::pair<QJsonObject, QString>> refused{
        {{{u"priority"_s, 1}}, u"vod_id required"_s},
        {{{u"vod_id"_s, u"s1"_s}, {u"priority"_s, u"high"_s}}, u"invalid json"_s},
        {{{u"vod_id"_s, u"s1"_s}, {u"priority"_s, 1.5}}, u"invalid json"_s},
        {{}, u"invalid json"_s}};
    for (const auto &[body, message] : refused) {
        reply = send("POST", u"/admin/vod/priority"_s, body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().object(), envelope(u"BAD_REQUEST"_s, message));
    }
    reply = send("POST", u"/admin/vod/skip-upload"_s, {{u"vod_id"_s, u"zz"_s}, {u"skip_upload"_s, false}});
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json().object(), envelope(u"NOT_FOUND"_s, u"vod not found"_s));
}

// Scenario 18: the guard answers before the rate limit, 10 per window pass, the 11th gets 429
// with the window as Retry-After, and every response carries X-Correlation-ID.
void VodRoutesTest::adminGuardAndRateLimit()
{
    VodConfig settings = config();
    settings.queue.rateLimitRequests = 10;
    settings.queue.rateLimitWindow = std::chrono::seconds(60);
    start(settings);

    for (int i = 0; i < 3; ++i) {
        const HttpReply refused = get(u"/admin/monitor"_s);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.headers.value("www-authenticate"),
                 QByteArray(R"(Basic realm="vod-tender admin")"));
        QVERIFY(!refused.headers.value("x-correlation-id").isEmpty());
    }
    for (const QString &path : {u"/vods/x/cancel"_s, u"/vods/x/reprocess"_s}) {
        QCOMPARE(HttpClient::request("POST", m_http->url(path)).status, 401);
    }
    QCOMPARE(HttpClient::request("PUT", m_http->url(u"/vods/x/description"_s), {},
                                 R"({"description":"x"})").status, 401);

    for (int i = 1; i <= 10; ++i) {
        const HttpReply reply = get(u"/admin/monitor"_s,
                                    authorized({{"X-Correlation-ID", "req-" + QByteArray::number(i)}}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value("x-correlation-id"), "req-" + QByteArray::number(i));
    }
    const HttpReply limited = get(u"/admin/monitor"_s, authorized());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.headers.value("retry-after"), QByteArray("60"));
    QVERIFY(!limited.headers.value("x-correlation-id").isEmpty());
    // The window is per client and shared by the guarded routes; reads are not limited.
    QCOMPARE(send("POST", u"/vods/x/cancel"_s).status, 429);
    QCOMPARE(get(u"/vods"_s).status, 200);
}

void VodRoutesTest::basicCredentials()
{
    start(config(), AdminGuard(adminToken, u"ops"_s, u"correct-horse-battery"_s));
    const auto basic = [](const QByteArray &pair) {
        return QHash<QByteArray, QByteArray>{{"Authorization", "Basic " + pair.toBase64()}};
    };
    QCOMPARE(get(u"/admin/monitor"_s, basic("ops:correct-horse-battery")).status, 200);
    QCOMPARE(get(u"/admin/monitor"_s, authorized()).status, 200);
    QCOMPARE(get(u"/admin/monitor"_s, {{"Authorization", "Bearer " + adminToken.toUtf8()}}).status,
             200);
    const HttpReply wrong = get(u"/admin/monitor"_s, basic("ops:wrong-horse-battery"));
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.json().object(), envelope(u"UNAUTHORIZED"_s, u"invalid admin credentials"_s));
    QCOMPARE(wrong.headers.value("www-authenticate"), QByteArray(R"(Basic realm="vod-tender admin")"));
    QCOMPARE(get(u"/admin/monitor"_s, basic("ops")).status, 401);
}

void VodRoutesTest::monitorShowsTheChannel()
{
    VodConfig settings = config();
    settings.queue.channels = {u"carol"_s};
    settings.queue.circuitFailureThreshold = 3;
    seed(u"carol"_s, {{u"m1"_s, u"Monitor"_s, daysAgo(2), 100}});
    start(settings);
    m_engine->start();
    // yt-dlp is missing, so the one VOD fails and waits for its retry.
    QTRY_COMPARE(row(u"m1"_s).state, VodState::FailedRetry);
    QTRY_COMPARE(get(u"/admin/monitor?channel=carol"_s, authorized()).json().object()
                         .value(u"vods_errored"_s).toInt(), 1);
    const QJsonObject monitor = get(u"/admin/monitor?channel=carol"_s, authorized()).json().object();
    QCOMPARE(monitor.value(u"vods_pending"_s).toInt(), 1);
    QCOMPARE(monitor.value(u"vods_processed"_s).toInt(), 0);
    QCOMPARE(monitor.value(u"circuit_state"_s).toString(), u"closed"_s);
    QCOMPARE(monitor.value(u"circuit_failures"_s).toString(), u"1"_s);
    QVERIFY(monitor.contains(u"job_vod_process_last"_s));
    QCOMPARE(monitor.value(u"oldest_pending"_s).toObject().value(u"id"_s).toString(), u"m1"_s);

    const QJsonObject all = get(u"/admin/monitor"_s, authorized()).json().object();
    QCOMPARE(all.value(u"vods_pending"_s).toInt(), 1);
    QVERIFY(all.value(u"channels"_s).toObject().contains(u"carol"_s));
    QCOMPARE(get(u"/admin/monitor?channel=dave"_s, authorized()).status, 404);
}

void VodRoutesTest::scanAndCatalog()
{
    HelixStandin helix(u"client-1"_s, u"secret-1"_s);
    QVERIFY(helix.start());
    helix.addUser(u"alice"_s, u"1001"_s);
    QList<HelixStandin::Video> videos;
    for (int i = 0; i < 150; ++i)
        videos.append({u"v%1"_s.arg(i), u"VOD %1"_s.arg(i), u"1h2m3s"_s, daysAgo(i)});
    helix.setVideos(u"1001"_s, videos);

    VodConfig settings = config();
    settings.queue.channels = {u"alice"_s};
    settings.queue.catalogMax = 30; // the start-up run takes the newest 30
    settings.helix = helix.clientSettings();
    start(settings);
    m_engine->start();
    QTRY_COMPARE(get(u"/vods?channel=alice&limit=200"_s).json().array().size(), 30);

    HttpReply reply = send("POST", u"/admin/vod/scan?channel=alice"_s);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object(), (QJsonObject{{u"status"_s, u"ok"_s},
                                                 {u"channel"_s, u"alice"_s},
                                                 {u"new_vods"_s, 0}}));
    QCOMPARE(send("GET", u"/admin/vod/scan?channel=dave"_s).status, 404);

    // Asynchronous: 202 at once, a second run is refused while the first pages through.
    reply = send("POST", u"/admin/vod/catalog?channel=alice&max=120"_s);
    QCOMPARE(reply.status, 202);
    QCOMPARE(reply.json().object(), (QJsonObject{{u"status"_s, u"started"_s},
                                                 {u"channel"_s, u"alice"_s},
                                                 {u"max"_s, 120},
                                                 {u"max_age_days"_s, 0}}));
    QCOMPARE(send("POST", u"/admin/vod/catalog?channel=alice"_s).status, 409);
    QCOMPARE(send("POST", u"/admin/vod/catalog?max=-1"_s).status, 400);
    // It continues after the start-up run's saved cursor: the 120 VODs after the first 30.
    QTRY_COMPARE_WITH_TIMEOUT(get(u"/vods?channel=alice&limit=200"_s).json().array().size(), 150,
                              15000);
    const QList<HelixStandin::Request> pages = helix.requests(HelixStandin::videosPath);
    QVERIFY(std::any_of(pages.cbegin(), pages.cend(), [](const HelixStandin::Request &page) {
        return page.item(u"first"_s) == u"100"_s;
    }));

    // A Helix outage reaches the caller of the scan; queued work is not held back by it.
    helix.enqueue(HelixStandin::videosPath, 500, 4);
    reply = send("POST", u"/admin/vod/scan"_s);
    QCOMPARE(reply.status, 502);
    QVERIFY2(reply.json().object().value(u"message"_s).toString().contains(u"500"_s),
             reply.body.constData());
}

QTEST_GUILESS_MAIN(VodRoutesTest)
#include "vodroutes.moc"
