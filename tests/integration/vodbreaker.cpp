#include "core/db/migrationrunner.h"
#include "vod/vodstore.h"

#include "daemonprocess.h"
#include "httpclient.h"
#include "mediaserver.h"
#include "testdatabase.h"
#include "toolrun.h"
#include "vodrig.h"

#include <QtTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

QDateTime day(int i)
{
    return QDateTime(QDate(2024, 6, 1).addDays(i), QTime(20, 0), Qt::UTC);
}

QDateTime openUntil(TestDatabase &database)
{
    return QDateTime::fromString(VodRig::kv(database, u"alice"_s, u"circuit_open_until"_s),
                                 Qt::ISODateWithMs);
}

// Media requests that arrived while the circuit was open: after it opened, before it ended.
int requestsWhileOpen(const MediaServer &media, const QDateTime &until,
                      std::chrono::milliseconds cooldown)
{
    const double end = double(until.toMSecsSinceEpoch()) / 1000.0;
    const double begin = end - double(cooldown.count()) / 1000.0;
    const QList<MediaRequest> requests = media.requests();
    return int(std::count_if(requests.cbegin(), requests.cend(), [&](const MediaRequest &request) {
        return request.time > begin + 0.05 && request.time < end - 0.05;
    }));
}

} // namespace

// Scenario 10: the per-channel circuit breaker in a real daemon, its kv keys, metrics and
// /readyz, and /metrics clean under promtool after it all.
class VodBreakerTest final : public QObject
{
    Q_OBJECT

private slots:
    void opensHalfOpensAndCloses();
};

void VodBreakerTest::opensHalfOpensAndCloses()
{
    TestDatabase testDb;
    PITWALL_REQUIRE_TEST_DATABASE(testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(testDb.database().connection(), &error), qPrintable(error));
    MediaServer media;
    QList<DiscoveredVod> failing;
    for (int i = 0; i < 6; ++i) {
        const QString id = u"b%1"_s.arg(i);
        failing.append({id, id, day(i), 60});
        media.addStatus(VodRig::mediaPath(id), 500);
    }
    media.addFile(VodRig::mediaPath(u"g1"_s), MediaServer::content(64 * 1024, 1));
    QVERIFY(VodRig::seed(testDb, u"alice"_s, failing));
    QVERIFY(media.start());
    const auto cooldown = std::chrono::seconds(5);
    DaemonProcess daemon;
    QVERIFY(VodRig::start(daemon, VodRig::environment(testDb, media, {u"alice"_s},
                                                      {{u"CIRCUIT_FAILURE_THRESHOLD"_s, u"3"_s},
                                                       {u"CIRCUIT_OPEN_COOLDOWN"_s, u"5s"_s},
                                                       {u"DOWNLOAD_MAX_ATTEMPTS"_s, u"1"_s}})));

    // Three failed cycles open it.
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::kv(testDb, u"alice"_s, u"circuit_state"_s), u"open"_s, 20000);
    const QDateTime firstUntil = openUntil(testDb);
    QVERIFY(firstUntil.isValid());
    QCOMPARE(VodRig::kv(testDb, u"alice"_s, u"circuit_failures"_s), u"3"_s);
    const qint64 requestsAtOpen = media.requests().size();
    QByteArray metrics = VodRig::metrics(daemon);
    const QList<std::pair<QString, QString>> alice{{u"channel"_s, u"alice"_s}};
    QCOMPARE(VodRig::metric(metrics, u"vod_circuit_breaker_state"_s, alice), 2.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_circuit_open"_s, alice), 1.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_circuit_breaker_failures_total"_s, alice), 3.0);
    HttpReply ready = HttpClient::get(daemon.url(u"/readyz"_s));
    QCOMPARE(ready.status, 503);
    QCOMPARE(ready.json().object().value(u"failed_check"_s).toString(), u"circuit_breaker"_s);
    QCOMPARE(VodRig::channelStatus(daemon, u"alice"_s).value(u"circuit_state"_s).toString(),
             u"open"_s);

    // Half-open after the cooldown: one probe, one request, and it opens again.
    QTRY_VERIFY_WITH_TIMEOUT(openUntil(testDb) > firstUntil, 15000);
    QCOMPARE(VodRig::kv(testDb, u"alice"_s, u"circuit_state"_s), u"open"_s);
    QCOMPARE(requestsWhileOpen(media, firstUntil, cooldown), 0);
    QCOMPARE(media.requests().size(), requestsAtOpen + 1);
    const QDateTime secondUntil = openUntil(testDb);

    // The media is back for the next probe: the good VOD goes first, the rest are taken away.
    StoreError storeError;
    VodStore store(testDb.database());
    for (const QString &id : {u"b4"_s, u"b5"_s})
        QVERIFY(store.cancel(id, &storeError));
    QVERIFY(VodRig::seed(testDb, u"alice"_s, {{u"g1"_s, u"good"_s, day(9), 60}}));
    QVERIFY(store.setPriority(u"g1"_s, 10, &storeError));
    QTRY_COMPARE_WITH_TIMEOUT(VodRig::kv(testDb, u"alice"_s, u"circuit_state"_s), u"closed"_s, 15000);
    QCOMPARE(requestsWhileOpen(media, secondUntil, cooldown), 0);
    QCOMPARE(VodRig::kv(testDb, u"alice"_s, u"circuit_failures"_s), u"0"_s);
    QVERIFY(VodRig::kv(testDb, u"alice"_s, u"circuit_open_until"_s).isEmpty());
    QTRY_COMPARE(VodRig::row(testDb, u"g1"_s).state, VodState::DoneNoUpload);
    QTRY_COMPARE(HttpClient::get(daemon.url(u"/readyz"_s)).status, 200);

    metrics = VodRig::metrics(daemon);
    const auto changes = [&](const QString &from, const QString &to) {
        return VodRig::metric(metrics, u"circuit_breaker_state_changes_total"_s,
                              {{u"channel"_s, u"alice"_s}, {u"from"_s, from}, {u"to"_s, to}});
    };
    QCOMPARE(changes(u"closed"_s, u"open"_s), 1.0);
    QCOMPARE(changes(u"open"_s, u"half-open"_s), 2.0);
    QCOMPARE(changes(u"half-open"_s, u"open"_s), 1.0);
    QCOMPARE(changes(u"half-open"_s, u"closed"_s), 1.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_circuit_breaker_state"_s, alice), 0.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_circuit_open"_s, alice), 0.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_downloads_failed_total"_s, alice), 4.0);
    QCOMPARE(VodRig::metric(metrics, u"vod_downloads_succeeded_total"_s, alice), 1.0);

    // Every VOD family is there and clean.
    for (const QString &family : {u"vod_downloads_started_total"_s, u"vod_uploads_succeeded_total"_s,
                                  u"vod_uploads_failed_total"_s, u"vod_processing_cycles_total"_s,
                                  u"vod_download_duration_seconds_count"_s,
                                  u"vod_upload_duration_seconds_count"_s,
                                  u"vod_processing_total_duration_seconds_count"_s,
                                  u"vod_queue_depth"_s, u"vod_active_downloads"_s,
                                  u"chat_messages_recorded_total"_s, u"chat_reconnections_total"_s})
        QVERIFY2(VodRig::metric(metrics, family, alice), qPrintable(family));
    const ToolRun check = ToolRun::promtool(metrics);
    QVERIFY2(check.ok() && (check.out + check.err).trimmed().isEmpty(),
             check.describe(u"promtool check metrics"_s).constData());
    QCOMPARE(daemon.stop(SIGTERM), 0);
}

QTEST_GUILESS_MAIN(VodBreakerTest)
#include "vodbreaker.moc"
