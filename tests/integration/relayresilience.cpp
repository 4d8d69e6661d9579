// The relay under failure, against the real `pitwall --daemon`: a daemon killed mid-ingest,
// PostgreSQL restarted under it, SQLite locked by another writer, two daemons on one database,
// receivers that stop reading or stop answering, sessions replaced and revoked, and /metrics
// after all that traffic.
#include "journalforwarder.h"
#include "rawwebsocket.h"

#include "core/db/database.h"
#include "daemonprocess.h"
#include "httpclient.h"
#include "postgrescluster.h"
#include "relayclient.h"
#include "testdatabase.h"
#include "testenvironment.h"
#include "toolrun.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <csignal>
#include <ranges>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString reader = u"10.0.0.1:10000"_s;
const QString forwarderPath = u"/ws/v1/forwarders"_s;
const QString receiverPath = u"/ws/v1.2/receivers"_s;

struct DeviceToken
{
    QString tokenId;
    QString token;
    QString deviceId;
};

// What the events table holds: contiguous 1..n when count == distinct == max and min == 1.
struct StoredSeqs
{
    qint64 count = -1;
    qint64 distinct = -1;
    qint64 min = -1;
    qint64 max = -1;
};

// Started and ready: migrations applied, so the relay's tables exist.
bool startDaemon(DaemonProcess &daemon, const QString &databaseUrl, const QStringList &args = {})
{
    daemon.setEnv(u"DATABASE_URL"_s, databaseUrl);
    return daemon.start(args) && QTest::qWaitFor([&daemon] {
        return HttpClient::get(daemon.url(u"/readyz"_s)).status == 200;
    }, 20000);
}

DeviceToken createToken(const DaemonProcess &daemon, const QString &type, const QString &deviceId)
{
    const HttpReply reply = HttpClient::request(
            "POST", daemon.url(u"/api/v1/admin/tokens"_s), {{"Content-Type", "application/json"}},
            QJsonDocument(QJsonObject{{u"device_type"_s, type}, {u"device_id"_s, deviceId}})
                    .toJson());
    const QJsonObject body = reply.json().object();
    return {body[u"token_id"_s].toString(), body[u"token"_s].toString(),
            body[u"device_id"_s].toString()};
}

int revoke(const DaemonProcess &daemon, const DeviceToken &token)
{
    return HttpClient::request("POST",
                               daemon.url(u"/api/v1/admin/tokens/%1/revoke"_s.arg(token.tokenId)))
            .status;
}

QJsonArray streams(const DaemonProcess &daemon)
{
    return HttpClient::get(daemon.url(u"/api/v1/streams"_s)).json()[u"streams"_s].toArray();
}

QJsonObject streamMetrics(const DaemonProcess &daemon, const QString &streamId)
{
    return HttpClient::get(daemon.url(u"/api/v1/streams/%1/metrics"_s.arg(streamId)))
            .json()
            .object();
}

// The value of an unlabelled sample on /metrics; nullopt when the family has no such line.
std::optional<double> metric(const DaemonProcess &daemon, const QByteArray &name)
{
    const QByteArray body = HttpClient::get(daemon.url(u"/metrics"_s)).body;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toDouble();
    }
    return std::nullopt;
}

ReceiverHelloV12 liveHello(const QString &forwarderId, const QList<ResumeCursor> &resume = {})
{
    return ReceiverHelloV12{{}, LiveMode{{{forwarderId, reader}}, {}}, resume};
}

StoredSeqs storedSeqs(const Database &database)
{
    StoredSeqs stored;
    QSqlQuery query(database.connection());
    if (query.exec(u"SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM events"_s)
        && query.next()) {
        stored = {query.value(0).toLongLong(), query.value(1).toLongLong(),
                  query.value(2).toLongLong(), query.value(3).toLongLong()};
    } else {
        qWarning("cannot count events: %s", qPrintable(query.lastError().text()));
    }
    return stored;
}

// The error frame a raw client found last before the server closed the connection.
std::optional<ErrorMessage> closingError(RawWebSocket &client)
{
    if (!client.waitForDisconnected(10000))
        return std::nullopt;
    const QList<RawWebSocket::Frame> frames = client.frames();
    for (auto frame = frames.crbegin(); frame != frames.crend(); ++frame) {
        if (frame->opcode != 0x1)
            continue;
        const ParseResult parsed = parseMessage(frame->payload);
        const auto *message = std::get_if<Message>(&parsed);
        const auto *error = message ? std::get_if<ErrorMessage>(message) : nullptr;
        return error ? std::optional<ErrorMessage>(*error) : std::nullopt;
    }
    return std::nullopt;
}

QByteArray describe(const JournalForwarder &forwarder)
{
    QStringList errors;
    for (const ErrorMessage &error : forwarder.errors())
        errors.append(errorCodeName(error.code) + u' ' + error.message);
    return u"acked %1/%2, sessions %3, disconnects %4, errors [%5], problems [%6]"_s
            .arg(forwarder.acked())
            .arg(forwarder.journalSize())
            .arg(forwarder.sessions())
            .arg(forwarder.disconnects())
            .arg(errors.join(u"; "_s), forwarder.problems().join(u"; "_s))
            .toUtf8();
}

} // namespace

class RelayResilienceTest final : public QObject
{
    Q_OBJECT

private slots:
    void killNineMidIngestLosesNothing()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess first;
        QVERIFY2(startDaemon(first, database.url()), first.output().constData());
        const DeviceToken token = createToken(first, u"forwarder"_s, u"finish"_s);
        QVERIFY(!token.token.isEmpty());

        constexpr qint64 total = 100000;
        JournalForwarder forwarder(token.token, reader);
        forwarder.append(relayFrames(reader, 1, 1, total));
        forwarder.start(first.port());
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.acked() >= total / 4, describe(forwarder), 60000);
        QCOMPARE(first.stop(SIGKILL), -1); // killed, not exited
        QVERIFY2(!forwarder.allAcked(), describe(forwarder));
        // Nobody listens for a while: the forwarder keeps trying, backing off.
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.disconnects() >= 4, describe(forwarder), 10000);

        // Same address, data dir and database, as systemd restarts it.
        DaemonProcess second;
        QVERIFY2(startDaemon(second, database.url(),
                             {u"--bind"_s, u"127.0.0.1:%1"_s.arg(first.port()), u"--data-dir"_s,
                              first.dataDir()}),
                 second.output().constData());
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.allAcked(), describe(forwarder), 90000);
        QVERIFY2(forwarder.problems().isEmpty(), describe(forwarder));
        QVERIFY2(forwarder.sessions() >= 2, describe(forwarder));

        const QJsonArray all = streams(second);
        QCOMPARE(all.size(), 1);
        const QString streamId = all.first()[u"stream_id"_s].toString();
        const QJsonObject metrics = streamMetrics(second, streamId);
        QCOMPARE(metrics[u"dedup_count"_s].toInteger(), total);
        QCOMPARE(metrics[u"raw_count"_s].toInteger(),
                 total + metrics[u"retransmit_count"_s].toInteger());

        QByteArray expected;
        for (qint64 seq = 1; seq <= total; ++seq)
            expected += "LINE_" + QByteArray::number(seq) + '\n';
        const HttpReply exported =
                HttpClient::get(second.url(u"/api/v1/streams/%1/export.txt"_s.arg(streamId)));
        QCOMPARE(exported.status, 200);
        QVERIFY2(exported.body == expected,
                 qPrintable(u"export has %1 bytes, expected %2"_s.arg(exported.body.size())
                                    .arg(expected.size())));

        forwarder.stop();
        QCOMPARE(second.stop(SIGTERM), 0);
        const StoredSeqs stored = storedSeqs(database.database());
        QCOMPARE(stored.count, total);
        QCOMPARE(stored.distinct, total);
        QCOMPARE(stored.min, 1);
        QCOMPARE(stored.max, total);
    }

    void postgresRestartDuringIngestLosesNothing()
    {
        if (TestEnvironment::dialect() != u"postgres")
            QSKIP("restarts its own PostgreSQL server: PostgreSQL variant only");
        if (!PostgresCluster::serverAvailable()) {
            if (TestEnvironment::postgresRequired())
                QFAIL("the PostgreSQL server binaries are not installed");
            QSKIP("the PostgreSQL server binaries are not installed");
        }
        // A private cluster: the run's shared one serves the other tests meanwhile.
        PostgresCluster cluster;
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        DaemonProcess daemon;
        QVERIFY2(startDaemon(daemon, cluster.url()), daemon.output().constData());
        const DeviceToken token = createToken(daemon, u"forwarder"_s, u"start"_s);
        QVERIFY(!token.token.isEmpty());

        constexpr qint64 total = 30000;
        JournalForwarder forwarder(token.token, reader);
        forwarder.append(relayFrames(reader, 1, 1, total));
        forwarder.start(daemon.port());
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.acked() >= 5000, describe(forwarder), 60000);
        QVERIFY2(cluster.stop(&error), qPrintable(error));
        // The batch in flight fails, then sessions are refused while the server is down.
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.disconnects() >= 3, describe(forwarder), 20000);
        QVERIFY2(!forwarder.allAcked(), describe(forwarder));

        QVERIFY2(cluster.start(&error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.allAcked(), describe(forwarder), 60000);
        QVERIFY2(forwarder.problems().isEmpty(), describe(forwarder));
        // Whatever the forwarder was told while the database was away invited it to retry.
        for (const ErrorMessage &message : forwarder.errors()) {
            QCOMPARE(message.code, ErrorCode::InternalError);
            QVERIFY(message.retryable);
        }

        // The HTTP thread's idle connection finds out about the restart with its first query,
        // which answers 503: the REST checks may need a second try.
        QTRY_COMPARE(streams(daemon).size(), 1);
        const QString streamId = streams(daemon).first()[u"stream_id"_s].toString();
        QCOMPARE(streamMetrics(daemon, streamId)[u"dedup_count"_s].toInteger(), total);
        forwarder.stop();
        QCOMPARE(daemon.stop(SIGTERM), 0);
        QString problem;
        const auto settings = DatabaseSettings::parse(cluster.url(), QString(), &problem);
        QVERIFY2(settings, qPrintable(problem));
        const StoredSeqs stored = storedSeqs(Database(*settings, u"check"_s));
        QCOMPARE(stored.count, total);
        QCOMPARE(stored.distinct, total);
        QCOMPARE(stored.min, 1);
        QCOMPARE(stored.max, total);
    }

    void sqliteLockHeldPastBusyTimeoutKeepsTheSession()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        if (database.dialect().isPostgres())
            QSKIP("SQLite's one write lock and its busy timeout: SQLite variant only");
        DaemonProcess daemon;
        daemon.setEnv(u"DATABASE_BUSY_TIMEOUT"_s, u"100ms"_s);
        QVERIFY2(startDaemon(daemon, database.url()), daemon.output().constData());
        const DeviceToken token = createToken(daemon, u"forwarder"_s, u"patient"_s);
        QVERIFY(!token.token.isEmpty());
        JournalForwarder forwarder(token.token, reader);
        forwarder.append(relayFrames(reader, 1, 1, 1000));
        forwarder.start(daemon.port());
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.allAcked(), describe(forwarder), 20000);

        // Another writer keeps the lock for 1 s, ten of the relay's busy timeouts: the batch
        // waits it out in its storage thread (retries after 200, 400 and 800 ms) instead of
        // ending the session.
        QSqlDatabase db = database.database().connection();
        QSqlQuery lock(db);
        QVERIFY2(lock.exec(u"BEGIN IMMEDIATE"_s), qPrintable(lock.lastError().text()));
        constexpr qint64 total = 5000;
        forwarder.append(relayFrames(reader, 1, 1001, total));
        QTest::qWait(1000);
        QCOMPARE(forwarder.acked(), qsizetype(1000));
        QVERIFY2(lock.exec(u"ROLLBACK"_s), qPrintable(lock.lastError().text()));

        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.allAcked(), describe(forwarder), 30000);
        QVERIFY2(forwarder.problems().isEmpty(), describe(forwarder));
        QVERIFY2(forwarder.errors().isEmpty(), describe(forwarder));
        QCOMPARE(forwarder.disconnects(), 0);
        QCOMPARE(forwarder.sessions(), 1);
        const QByteArray output = daemon.output();
        QVERIFY2(output.contains("database busy (database is locked), attempt 2 of 5"),
                 output.constData());
        forwarder.stop();
        QCOMPARE(daemon.stop(SIGTERM), 0);
        const StoredSeqs stored = storedSeqs(database.database());
        QCOMPARE(stored.count, total);
        QCOMPARE(stored.distinct, total);
    }

    void receiverOnOtherInstanceGetsEventsLive()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        if (!database.dialect().isPostgres())
            QSKIP("instances share events through PostgreSQL LISTEN/NOTIFY: PostgreSQL only");
        DaemonProcess ingest;
        DaemonProcess deliver;
        QVERIFY2(startDaemon(ingest, database.url()), ingest.output().constData());
        QVERIFY2(startDaemon(deliver, database.url()), deliver.output().constData());
        QVERIFY2(deliver.waitForOutput("listening for events of other instances"),
                 deliver.output().constData());
        const DeviceToken fwd = createToken(ingest, u"forwarder"_s, u"finish"_s);
        const DeviceToken rcv = createToken(ingest, u"receiver"_s, u"rcv-remote"_s);

        constexpr qint64 total = 3000;
        JournalForwarder forwarder(fwd.token, reader, 100);
        forwarder.start(ingest.port());
        QTRY_COMPARE_WITH_TIMEOUT(forwarder.sessions(), 1, 10000); // the stream exists now

        RelayClient receiver;
        QVERIFY(receiver.open(deliver.port(), receiverPath, rcv.token));
        receiver.send(liveHello(fwd.deviceId));
        const auto applied = receiver.waitFor<ReceiverModeApplied>();
        QVERIFY(applied);
        QCOMPARE(applied->resolvedStreamCount, 1);
        QVERIFY(receiver.receivedEvents().isEmpty());

        forwarder.append(relayFrames(reader, 1, 1, total));
        QVERIFY2(receiver.waitUntil([&] { return receiver.receivedEvents().size() >= total; },
                                    std::chrono::seconds(60)),
                 describe(forwarder));
        // One more, after everything: anything duplicated or late would show before it.
        forwarder.append(relayFrames(reader, 1, total + 1, total + 1));
        QVERIFY(receiver.waitUntil([&] { return receiver.receivedEvents().size() > total; }));
        QCOMPARE(receiver.receivedEvents(), relayFrames(reader, 1, 1, total + 1, fwd.deviceId));
        QVERIFY2(forwarder.problems().isEmpty(), describe(forwarder));
        forwarder.stop();
        QCOMPARE(deliver.stop(SIGTERM), 0);
        QCOMPARE(ingest.stop(SIGTERM), 0);
    }

    void slowReceiverIsClosedAndResumesFromItsCursor()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        daemon.setEnv(u"RELAY_SEND_QUEUE_BYTES"_s, u"65536"_s);
        QVERIFY2(startDaemon(daemon, database.url()), daemon.output().constData());
        const DeviceToken fwd = createToken(daemon, u"forwarder"_s, u"finish"_s);
        const DeviceToken rcv = createToken(daemon, u"receiver"_s, u"rcv-slow"_s);

        constexpr qint64 total = 20000;
        constexpr qint64 acked = 500;
        JournalForwarder forwarder(fwd.token, reader);
        forwarder.append(relayFrames(reader, 1, 1, acked));
        forwarder.start(daemon.port());
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.allAcked(), describe(forwarder), 10000);
        {
            RelayClient keepsUp;
            QVERIFY(keepsUp.open(daemon.port(), receiverPath, rcv.token));
            keepsUp.send(liveHello(fwd.deviceId));
            QVERIFY(keepsUp.waitFor<ReceiverModeApplied>());
            QCOMPARE(keepsUp.receivedEvents().size(), acked);
            keepsUp.send(ReceiverAck{keepsUp.sessionId(), {{fwd.deviceId, reader, 1, acked}}});
            keepsUp.close();
        }
        QTRY_COMPARE(HttpClient::get(daemon.url(u"/api/v1/admin/receiver-cursors"_s))
                             .json()[u"cursors"_s][0][u"last_seq"_s].toInteger(),
                     acked);

        RawWebSocket stalled;
        QVERIFY(stalled.open(daemon.port(), receiverPath, rcv.token));
        stalled.sendText(serialize(liveHello(fwd.deviceId)));
        QVERIFY(stalled.waitForText("receiver_mode_applied"));
        stalled.pauseReading();
        // The daemon's resident set (its /proc statm) as its own /metrics reports it.
        const std::optional<double> rssBefore = metric(daemon, "process_resident_memory_bytes");
        QVERIFY(rssBefore);

        forwarder.append(relayFrames(reader, 1, acked + 1, total));
        // Ingest does not wait for the receiver that stopped reading.
        QTRY_VERIFY2_WITH_TIMEOUT(forwarder.allAcked(), describe(forwarder), 60000);
        QVERIFY2(forwarder.problems().isEmpty(), describe(forwarder));
        QTRY_COMPARE(metric(daemon, "relay_send_queue_drops_total"), std::optional<double>(1));
        QVERIFY(daemon.waitForOutput("SESSION_EXPIRED"));
        const std::optional<double> rssAfter = metric(daemon, "process_resident_memory_bytes");
        QVERIFY(rssAfter);
        QVERIFY2(*rssAfter - *rssBefore < 64.0 * 1024 * 1024,
                 qPrintable(u"RSS grew from %1 to %2 bytes"_s.arg(*rssBefore).arg(*rssAfter)));

        // Reading again, it finds what was queued before the close: a prefix of the stream,
        // then the error frame, then the close frame; nothing was sent after the error.
        stalled.resumeReading();
        const std::optional<ErrorMessage> error = closingError(stalled);
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::SessionExpired);
        QVERIFY(error->retryable);
        QList<ReadEvent> queued;
        for (const RawWebSocket::Frame &frame : stalled.frames()) {
            ParseResult parsed = parseMessage(frame.payload);
            const auto *message = std::get_if<Message>(&parsed);
            if (const auto *batch = message ? std::get_if<ReceiverEventBatch>(message) : nullptr)
                queued += batch->events;
        }
        QVERIFY2(!queued.isEmpty() && queued.size() < total - acked,
                 qPrintable(u"%1 events reached the stalled receiver"_s.arg(queued.size())));
        QCOMPARE(queued, relayFrames(reader, 1, acked + 1, acked + queued.size(), fwd.deviceId));
        QCOMPARE(stalled.frames().last().opcode, 0x8);

        RelayClient resumed;
        QVERIFY(resumed.open(daemon.port(), receiverPath, rcv.token));
        resumed.send(liveHello(fwd.deviceId, {{fwd.deviceId, reader, 1, acked}}));
        QVERIFY(resumed.waitFor<ReceiverModeApplied>(1, std::chrono::seconds(30)));
        QCOMPARE(resumed.receivedEvents(), relayFrames(reader, 1, acked + 1, total, fwd.deviceId));
        forwarder.stop();
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void pingsKeepAnsweringClientsAndCloseSilentOnes()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        daemon.setEnv(u"RELAY_PING_INTERVAL"_s, u"200ms"_s);
        daemon.setEnv(u"RELAY_IDLE_TIMEOUT"_s, u"1s"_s);
        QVERIFY2(startDaemon(daemon, database.url()), daemon.output().constData());
        const DeviceToken fwd = createToken(daemon, u"forwarder"_s, u"finish"_s);
        const DeviceToken rcv = createToken(daemon, u"receiver"_s, u"rcv-live"_s);

        // QWebSocket answers every ping: both sessions outlive the idle timeout three times over.
        RelayClient forwarder;
        QVERIFY(forwarder.open(daemon.port(), forwarderPath, fwd.token));
        QVERIFY(forwarder.helloForwarder({reader}));
        RelayClient receiver;
        QVERIFY(receiver.open(daemon.port(), receiverPath, rcv.token));
        receiver.send(liveHello(fwd.deviceId));
        QVERIFY(receiver.waitFor<ReceiverModeApplied>());
        QVERIFY(!receiver.waitUntil(
                [&] { return !forwarder.isConnected() || !receiver.isConnected(); },
                std::chrono::milliseconds(3500)));
        QVERIFY2(forwarder.all<Heartbeat>().size() >= 5, "heartbeats every 200 ms");
        QVERIFY2(receiver.all<Heartbeat>().size() >= 5, "heartbeats every 200 ms");

        // A peer that reads but never pongs is closed about one idle timeout after it last spoke.
        RawWebSocket silent;
        QVERIFY(silent.open(daemon.port(), forwarderPath, fwd.token));
        silent.sendText(serialize(ForwarderHello{{}, {reader}, {}}));
        QElapsedTimer sinceHello;
        sinceHello.start();
        QVERIFY(silent.waitForText("heartbeat"));
        QVERIFY(silent.waitForDisconnected(5000));
        QVERIFY2(sinceHello.elapsed() >= 900 && sinceHello.elapsed() <= 3000,
                 qPrintable(u"closed after %1 ms"_s.arg(sinceHello.elapsed())));
        qsizetype pings = 0;
        for (const RawWebSocket::Frame &frame : silent.frames())
            pings += frame.opcode == 0x9 ? 1 : 0;
        QVERIFY2(pings >= 2, qPrintable(u"%1 pings"_s.arg(pings)));
        QVERIFY(daemon.waitForOutput("silent for"));
        forwarder.close();

        // No hello within the timeout, on either endpoint.
        for (const auto &[path, token, expected] :
             {std::tuple{forwarderPath, fwd.token, u"timeout waiting for forwarder_hello"_s},
              std::tuple{receiverPath, rcv.token, u"timeout waiting for receiver_hello_v12"_s}}) {
            RelayClient mute;
            QVERIFY(mute.open(daemon.port(), path, token));
            const auto error = mute.waitFor<ErrorMessage>(1, std::chrono::seconds(3));
            QVERIFY2(error, qPrintable(path));
            QCOMPARE(error->code, ErrorCode::ProtocolError);
            QCOMPARE(error->message, expected);
            QVERIFY(!error->retryable);
            QVERIFY(mute.waitForDisconnect(std::chrono::seconds(3)));
        }
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void newestSessionWinsAndRevokedTokensAreClosed()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        QVERIFY2(startDaemon(daemon, database.url()), daemon.output().constData());
        const DeviceToken fwd = createToken(daemon, u"forwarder"_s, u"finish"_s);
        const DeviceToken rcv = createToken(daemon, u"receiver"_s, u"rcv-revoked"_s);

        RelayClient older;
        QVERIFY(older.open(daemon.port(), forwarderPath, fwd.token));
        QVERIFY(older.helloForwarder({reader}));
        RelayClient newer;
        QVERIFY(newer.open(daemon.port(), forwarderPath, fwd.token));
        const auto replaced = older.waitFor<ErrorMessage>();
        QVERIFY(replaced);
        QCOMPARE(replaced->code, ErrorCode::ProtocolError);
        QCOMPARE(replaced->message, u"replaced by a newer session of this device"_s);
        QVERIFY(older.waitForDisconnect());
        QVERIFY(newer.helloForwarder({reader}));
        const auto ack = newer.sendBatch(relayFrames(reader, 1, 1, 10));
        QVERIFY(ack);
        QCOMPARE(ack->entries, (QList<AckEntry>{{fwd.deviceId, reader, 1, 10}}));
        // The old session's end must not mark the stream the new one serves offline.
        QCOMPARE(streams(daemon).first()[u"online"_s].toBool(), true);

        RelayClient receiver;
        QVERIFY(receiver.open(daemon.port(), receiverPath, rcv.token));
        receiver.send(liveHello(fwd.deviceId));
        QVERIFY(receiver.waitFor<ReceiverModeApplied>());
        QCOMPARE(receiver.receivedEvents().size(), 10);

        for (const auto &[token, client, path] : {std::tuple{fwd, &newer, forwarderPath},
                                                  std::tuple{rcv, &receiver, receiverPath}}) {
            QCOMPARE(revoke(daemon, token), 204);
            const auto revoked = client->waitFor<ErrorMessage>();
            QVERIFY2(revoked, qPrintable(token.deviceId));
            QCOMPARE(revoked->code, ErrorCode::InvalidToken);
            QCOMPARE(revoked->message, u"token revoked"_s);
            QVERIFY(client->waitForDisconnect());

            RawWebSocket again;
            QVERIFY(again.open(daemon.port(), path, token.token));
            const std::optional<ErrorMessage> refused = closingError(again);
            QVERIFY(refused);
            QCOMPARE(refused->code, ErrorCode::InvalidToken);
            QCOMPARE(refused->message, u"unknown or revoked token"_s);
        }
        QTRY_COMPARE(streams(daemon).first()[u"online"_s].toBool(), false);
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void metricsAfterTrafficPassPromtool()
    {
        TestDatabase database;
        PITWALL_REQUIRE_TEST_DATABASE(database);
        DaemonProcess daemon;
        QVERIFY2(startDaemon(daemon, database.url()), daemon.output().constData());
        const DeviceToken fwd = createToken(daemon, u"forwarder"_s, u"finish"_s);
        const DeviceToken rcv = createToken(daemon, u"receiver"_s, u"rcv-metrics"_s);

        RelayClient forwarder;
        QVERIFY(forwarder.open(daemon.port(), forwarderPath, fwd.token));
        QVERIFY(forwarder.helloForwarder({reader}));
        QVERIFY(forwarder.sendBatch(relayFrames(reader, 1, 1, 500)));
        QVERIFY(forwarder.sendBatch(relayFrames(reader, 1, 1, 500))); // all retransmits
        RelayClient receiver;
        QVERIFY(receiver.open(daemon.port(), receiverPath, rcv.token));
        receiver.send(liveHello(fwd.deviceId));
        QVERIFY(receiver.waitFor<ReceiverModeApplied>());
        QVERIFY(forwarder.sendBatch(relayFrames(reader, 1, 501, 1000)));
        QVERIFY(receiver.waitUntil([&] { return receiver.receivedEvents().size() == 1000; }));
        receiver.send(ReceiverAck{receiver.sessionId(), {{fwd.deviceId, reader, 1, 1000}}});
        RawWebSocket intruder;
        QVERIFY(intruder.open(daemon.port(), receiverPath, u"not-a-token"_s));
        QVERIFY(closingError(intruder));

        const QList<std::pair<QByteArray, double>> expected{
                {"relay_events_received_total", 1500},
                {"relay_events_stored_total", 1000},
                {"relay_events_retransmitted_total", 500},
                {"relay_events_conflicts_total", 0},
                {"relay_ingest_batches_total", 3},
                {"relay_ingest_batch_duration_seconds_count", 3},
                {"relay_forwarder_acks_total", 3},
                {"relay_receiver_acks_total", 1},
                {"relay_replay_events_total", 500},
                {"relay_events_delivered_total", 500},
                {"relay_send_queue_drops_total", 0},
                {"relay_session_errors_total", 1},
                {"relay_forwarder_sessions", 1},
                {"relay_receiver_sessions", 1},
                {"relay_sse_clients", 0}};
        for (const auto &[name, value] : expected)
            QTRY_COMPARE(metric(daemon, name), std::optional<double>(value));

        const HttpReply metrics = HttpClient::get(daemon.url(u"/metrics"_s));
        QCOMPARE(metrics.status, 200);
        for (const QByteArray &name : std::views::keys(expected)) {
            const QByteArray family = name.endsWith("_count") ? name.chopped(6) : name;
            QVERIFY2(metrics.body.contains("# TYPE " + family + ' '), family.constData());
        }
        const ToolRun check = ToolRun::promtool(metrics.body);
        QVERIFY2(check.ok() && (check.out + check.err).trimmed().isEmpty(),
                 check.describe(u"promtool check metrics"_s).constData());
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(RelayResilienceTest)
#include "relayresilience.moc"
