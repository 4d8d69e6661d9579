// The relay's black-box acceptance scenarios (research §8, with the spec's decisions where they
// differ) against a real `pitwall --daemon`: WebSocket forwarders and receivers, REST and the SSE
// stream, on a fresh database of the dialect under test for every test function.
#include "relay/protocol/ipicoread.h"
#include "relay/protocol/relaymessage.h"

#include "daemonprocess.h"
#include "httpclient.h"
#include "rawhttpclient.h"
#include "relayclient.h"
#include "testdatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSqlQuery>
#include <QUuid>
#include <QtTest>

#include <csignal>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// The scenarios' devices: F (its id is derived from the token) and R, and stream S.
const QString forwarderToken = u"fwd-export-token-01"_s;
const QString forwarderId = u"fwd-2cb60cb5ec9935be"_s;
const QString receiverToken = u"rcv-token-0123456789"_s;
const QString receiverId = u"rcv-1"_s;
const QString readerIp = u"192.168.50.1:10000"_s;
const QString secondReaderIp = u"192.168.50.2:10000"_s;
const QString forwarderPath = u"/ws/v1/forwarders"_s;
const QString receiverPath = u"/ws/v1.2/receivers"_s;
const QString legacyPath = u"/ws/v1/receivers"_s;
const QByteArray csvHeader = "stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n";

QList<ReadEvent> frames(qint64 epoch, qint64 first, qint64 last, const QString &reader = readerIp)
{
    return relayFrames(reader, epoch, first, last, forwarderId);
}

ReadEvent frame(qint64 epoch, qint64 seq, const QByteArray &raw, const QString &reader = readerIp)
{
    ReadEvent event = frames(epoch, seq, seq, reader).first();
    event.rawFrame = raw;
    return event;
}

QList<qint64> seqsOf(const QList<ReadEvent> &events)
{
    QList<qint64> seqs;
    for (const ReadEvent &event : events)
        seqs.append(event.seq);
    return seqs;
}

QList<qint64> seqRange(qint64 first, qint64 last)
{
    QList<qint64> seqs;
    for (qint64 seq = first; seq <= last; ++seq)
        seqs.append(seq);
    return seqs;
}

// "epoch:seq" per event, so that failures print readably.
QStringList keysOf(const QList<ReadEvent> &events)
{
    QStringList keys;
    for (const ReadEvent &event : events)
        keys.append(u"%1:%2"_s.arg(event.streamEpoch).arg(event.seq));
    return keys;
}

QStringList entriesOf(const QList<AckEntry> &entries)
{
    QStringList texts;
    for (const AckEntry &entry : entries)
        texts.append(u"%1/%2/%3/%4"_s.arg(entry.forwarderId, entry.readerIp)
                             .arg(entry.streamEpoch)
                             .arg(entry.lastSeq));
    return texts;
}

QString entryText(qint64 epoch, qint64 lastSeq, const QString &reader = readerIp)
{
    return entriesOf({{forwarderId, reader, epoch, lastSeq}}).first();
}

QString randomId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

ReceiverHelloV12 liveHello(const QList<ResumeCursor> &resume = {},
                           const QList<StreamRef> &streams = {{forwarderId, readerIp}})
{
    return {receiverId, LiveMode{streams, {}}, resume};
}

ReceiverAck receiverAck(const RelayClient &client, const QList<AckEntry> &entries)
{
    return {client.sessionId(), entries};
}

// The kinds of the frames received so far, without the periodic heartbeats after the first.
QStringList kindsOf(const RelayClient &client)
{
    QStringList kinds;
    for (const RelayClient::Frame &received : client.frames()) {
        const QString kind = received.message ? QString(messageKind(*received.message))
                                              : u"unparsed"_s;
        if (kind != Heartbeat::kind || kinds.isEmpty())
            kinds.append(kind);
    }
    return kinds;
}

// Frames of one session arrive in order, and heartbeats go out every ping interval: two more
// heartbeats mean everything the server sent this session before now has arrived.
bool drained(RelayClient &client)
{
    return client.waitFor<Heartbeat>(int(client.all<Heartbeat>().size()) + 2).has_value();
}

// Opens the socket with exactly this Authorization header (none when nullopt).
bool openWith(RelayClient &client, quint16 port, const QString &path,
              const std::optional<QByteArray> &authorization)
{
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(port).arg(path)));
    if (authorization)
        request.setRawHeader("Authorization", *authorization);
    client.socket().open(request);
    // A refusal that needs no database can close the socket before a poll sees it open.
    return client.waitUntil(
            [&client] { return client.isConnected() || !client.frames().isEmpty(); });
}

// Empty when the session ended with exactly one error frame of this code and message (or, with
// `prefix`, a message starting so) and the server closed the socket; else what differed.
QString errorProblem(RelayClient &client, ErrorCode code, const QString &message,
                     bool prefix = false)
{
    const std::optional<ErrorMessage> error = client.waitFor<ErrorMessage>();
    if (!error)
        return u"no error frame; frames: %1"_s.arg(kindsOf(client).join(u", "_s));
    const bool matches = prefix ? error->message.startsWith(message) : error->message == message;
    if (error->code != code || !matches || error->retryable != isRetryable(code))
        return u"got %1 \"%2\" retryable=%3"_s.arg(errorCodeName(error->code), error->message)
                .arg(error->retryable);
    if (!client.waitForDisconnect())
        return u"the server did not close the socket"_s;
    if (client.all<ErrorMessage>().size() != 1)
        return u"%1 error frames"_s.arg(client.all<ErrorMessage>().size());
    return {};
}

struct SseEvent
{
    QString type;
    QJsonObject data;
};

// The dashboard's SSE stream (GET /api/v1/events) read as raw bytes, the way a browser gets it.
class EventStream final
{
public:
    bool open(quint16 port)
    {
        if (!m_client.connectTo(port))
            return false;
        m_client.send("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Accept: text/event-stream\r\n\r\n");
        return m_client.waitForData(": connected");
    }

    // Every `event:`/`data:` pair received so far, in order.
    QList<SseEvent> events()
    {
        m_client.waitForBytes(1);
        QList<SseEvent> out;
        for (const QByteArray &line : body().split('\n')) {
            if (line.startsWith("event: "))
                out.append({QString::fromUtf8(line.mid(7)), {}});
            else if (line.startsWith("data: ") && !out.isEmpty())
                out.last().data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        return out;
    }

    // Index of the first event of `type` that `match` accepts, -1 if none arrived in time.
    qsizetype waitFor(const QString &type, const std::function<bool(const QJsonObject &)> &match,
                      int timeoutMs = 10000)
    {
        qsizetype found = -1;
        const bool arrived = QTest::qWaitFor([&] {
            const QList<SseEvent> all = events();
            for (qsizetype i = 0; i < all.size() && found < 0; ++i) {
                if (all[i].type == type && match(all[i].data))
                    found = i;
            }
            return found >= 0;
        }, timeoutMs);
        return arrived ? found : -1;
    }

private:
    // The chunked body received so far, de-chunked.
    QByteArray body() const
    {
        const QByteArray &raw = m_client.received();
        qsizetype cursor = raw.indexOf("\r\n\r\n");
        if (cursor < 0)
            return {};
        cursor += 4;
        QByteArray out;
        for (;;) {
            const qsizetype lineEnd = raw.indexOf("\r\n", cursor);
            if (lineEnd < 0)
                break;
            const qsizetype size = raw.mid(cursor, lineEnd - cursor).toLongLong(nullptr, 16);
            if (size == 0 || raw.size() < lineEnd + 2 + size)
                break;
            out += raw.mid(lineEnd + 2, size);
            cursor = lineEnd + 2 + size + 2;
        }
        return out;
    }

    RawHttpClient m_client;
};

std::function<bool(const QJsonObject &)> forStream(const QString &streamId)
{
    return [streamId](const QJsonObject &data) {
        return data.value(u"stream_id"_s).toString() == streamId;
    };
}

} // namespace

class RelayScenariosTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void scenario01Provisioning();
    void scenario02AuthFailures();
    void scenario03HandshakeErrors();
    void scenario04IngestAndAck();
    void scenario05DisconnectBeforeAck();
    void scenario06IdenticalRetransmit();
    void scenario07ConflictingRetransmit();
    void scenario08ReceiverFirstConnect();
    void scenario09CursorResume();
    void scenario10ResumeCapping();
    void scenario11ChunkedReplayAndHandOff();
    void scenario12EpochReset();
    void scenario13ExportsByteExact();
    void scenario14TargetedReplay();
    void scenario15DisconnectBookkeeping();
    void scenario16RestartDurability();
    void scenario17Health();
    void legacyReceiverEndpoint();
    void lateEventsOfAnOlderEpoch();
    void receiverProtocolErrors();

private:
    bool startDaemon();
    HttpReply call(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    HttpReply createToken(const QString &deviceType, const QString &deviceId,
                          const QString &token);
    bool provision();
    std::unique_ptr<RelayClient> openForwarder(const QStringList &readers = {readerIp});
    // Both tokens created, F connected with S and frames(1..stored) of epoch 1 acked.
    std::unique_ptr<RelayClient> provisionedForwarder(qint64 stored);
    std::unique_ptr<RelayClient> openReceiver(const ReceiverHelloV12 &hello);
    QJsonObject stream(const QString &reader = readerIp);
    QString streamId(const QString &reader = readerIp)
    {
        return stream(reader)[u"stream_id"_s].toString();
    }
    QJsonObject metrics(const QString &id);
    // The persisted cursor of R on stream S in this epoch, -1 when there is none.
    qint64 cursorSeq(qint64 epoch);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DaemonProcess> m_daemon;
    QString m_forwarderTokenId;
    QString m_receiverTokenId;
};

void RelayScenariosTest::init()
{
    m_database = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_database);
    QVERIFY(startDaemon());
}

void RelayScenariosTest::cleanup()
{
    m_daemon.reset();
    m_database.reset();
}

bool RelayScenariosTest::startDaemon()
{
    m_daemon = std::make_unique<DaemonProcess>();
    m_daemon->setEnv(u"DATABASE_URL"_s, m_database->url());
    // Heartbeats often enough to serve as delivery fences (drained()).
    m_daemon->setEnv(u"RELAY_PING_INTERVAL"_s, u"150ms"_s);
    if (!m_daemon->start()) {
        qWarning().noquote() << m_daemon->output();
        return false;
    }
    // The daemon listens before its relay engine exists, and /readyz is 200 without a relay
    // check in that window: wait for the check itself (the routes exist once it is there).
    const bool ready = QTest::qWaitFor([this] {
        const HttpReply reply = HttpClient::get(m_daemon->url(u"/readyz"_s));
        return reply.status == 200 && reply.json()[u"checks"_s][u"relay"_s][u"ready"_s].toBool();
    }, 20000);
    if (!ready)
        qWarning().noquote() << m_daemon->output();
    return ready;
}

HttpReply RelayScenariosTest::call(const QByteArray &method, const QString &path,
                                   const QJsonObject &body)
{
    QHash<QByteArray, QByteArray> headers;
    QByteArray bytes;
    if (!body.isEmpty()) {
        headers.insert("Content-Type", "application/json");
        bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    return HttpClient::request(method, m_daemon->url(path), headers, bytes);
}

HttpReply RelayScenariosTest::createToken(const QString &deviceType, const QString &deviceId,
                                          const QString &token)
{
    return call("POST", u"/api/v1/admin/tokens"_s,
                {{u"device_type"_s, deviceType}, {u"device_id"_s, deviceId}, {u"token"_s, token}});
}

bool RelayScenariosTest::provision()
{
    const HttpReply forwarder = createToken(u"forwarder"_s, u"x"_s, forwarderToken);
    const HttpReply receiver = createToken(u"receiver"_s, receiverId, receiverToken);
    m_forwarderTokenId = forwarder.json()[u"token_id"_s].toString();
    m_receiverTokenId = receiver.json()[u"token_id"_s].toString();
    return forwarder.status == 201 && receiver.status == 201;
}

std::unique_ptr<RelayClient> RelayScenariosTest::openForwarder(const QStringList &readers)
{
    auto client = std::make_unique<RelayClient>();
    if (!client->open(m_daemon->port(), forwarderPath, forwarderToken)
        || !client->helloForwarder(readers)) {
        return nullptr;
    }
    return client;
}

std::unique_ptr<RelayClient> RelayScenariosTest::provisionedForwarder(qint64 stored)
{
    std::unique_ptr<RelayClient> client = provision() ? openForwarder() : nullptr;
    if (!client || !client->sendBatch(frames(1, 1, stored)))
        return nullptr;
    return client;
}

std::unique_ptr<RelayClient> RelayScenariosTest::openReceiver(const ReceiverHelloV12 &hello)
{
    auto client = std::make_unique<RelayClient>();
    if (!client->open(m_daemon->port(), receiverPath, receiverToken))
        return nullptr;
    client->send(hello);
    if (!client->waitFor<ReceiverModeApplied>())
        return nullptr;
    return client;
}

QJsonObject RelayScenariosTest::stream(const QString &reader)
{
    const QJsonArray streams = call("GET", u"/api/v1/streams"_s).json()[u"streams"_s].toArray();
    for (const QJsonValue &value : streams) {
        if (value[u"forwarder_id"_s] == forwarderId && value[u"reader_ip"_s] == reader)
            return value.toObject();
    }
    return {};
}

QJsonObject RelayScenariosTest::metrics(const QString &id)
{
    return call("GET", u"/api/v1/streams/%1/metrics"_s.arg(id)).json().object();
}

qint64 RelayScenariosTest::cursorSeq(qint64 epoch)
{
    const QString id = streamId();
    const QJsonArray cursors =
            call("GET", u"/api/v1/admin/receiver-cursors"_s).json()[u"cursors"_s].toArray();
    for (const QJsonValue &cursor : cursors) {
        if (cursor[u"receiver_id"_s] == receiverId && cursor[u"stream_id"_s] == id
            && cursor[u"stream_epoch"_s].toInteger() == epoch) {
            return cursor[u"last_seq"_s].toInteger();
        }
    }
    return -1;
}

void RelayScenariosTest::scenario01Provisioning()
{
    const HttpReply created = createToken(u"forwarder"_s, u"x"_s, forwarderToken);
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json()[u"device_id"_s].toString(), forwarderId);
    QCOMPARE(created.json()[u"device_type"_s].toString(), u"forwarder"_s);
    QCOMPARE(created.json()[u"token"_s].toString(), forwarderToken);
    const HttpReply again = createToken(u"forwarder"_s, u"x"_s, forwarderToken);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.json()[u"code"_s].toString(), u"CONFLICT"_s);

    const QJsonArray tokens = call("GET", u"/api/v1/admin/tokens"_s).json()[u"tokens"_s].toArray();
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens.first()[u"device_id"_s].toString(), forwarderId);
    QCOMPARE(tokens.first()[u"revoked"_s].toBool(true), false);

    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    const std::optional<Message> first = forwarder->frames().first().message;
    QVERIFY(first && std::holds_alternative<Heartbeat>(*first));
    const Heartbeat heartbeat = std::get<Heartbeat>(*first);
    QCOMPARE(heartbeat.deviceId, forwarderId);
    QCOMPARE(QUuid::fromString(heartbeat.sessionId).version(), QUuid::Random);
}

void RelayScenariosTest::scenario02AuthFailures()
{
    QVERIFY(provision());
    const QString spareToken = u"rcv-spare-token-0123"_s;
    const HttpReply spare = createToken(u"receiver"_s, u"rcv-spare"_s, spareToken);
    QCOMPARE(spare.status, 201);
    QCOMPARE(call("POST", u"/api/v1/admin/tokens/%1/revoke"_s.arg(
                                  spare.json()[u"token_id"_s].toString())).status,
             204);

    const QList<std::pair<std::optional<QByteArray>, QString>> cases{
            {std::nullopt, u"missing Authorization header"_s},
            {QByteArray("Bearer "), u"missing Authorization header"_s},
            {QByteArray("Bearer never-issued-token-0000"), u"unknown or revoked token"_s},
            {"Bearer " + spareToken.toUtf8(), u"unknown or revoked token"_s},
    };
    for (const QString &path : {forwarderPath, receiverPath, legacyPath}) {
        for (const auto &[authorization, message] : cases) {
            RelayClient client;
            QVERIFY(openWith(client, m_daemon->port(), path, authorization));
            const QString problem = errorProblem(client, ErrorCode::InvalidToken, message);
            QVERIFY2(problem.isEmpty(), qPrintable(path + u": "_s + problem));
            QCOMPARE(client.frames().size(), 1);
        }
    }
    RelayClient receiverAsForwarder;
    QVERIFY(openWith(receiverAsForwarder, m_daemon->port(), forwarderPath,
                     "Bearer " + receiverToken.toUtf8()));
    QString problem = errorProblem(receiverAsForwarder, ErrorCode::InvalidToken,
                                   u"token is not for a forwarder device"_s);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    RelayClient forwarderAsReceiver;
    QVERIFY(openWith(forwarderAsReceiver, m_daemon->port(), receiverPath,
                     "Bearer " + forwarderToken.toUtf8()));
    problem = errorProblem(forwarderAsReceiver, ErrorCode::InvalidToken,
                           u"token is not for a receiver device"_s);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Spec: revoking a token ends its live sessions.
    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    for (const auto &[tokenId, client] : {std::pair{m_forwarderTokenId, forwarder.get()},
                                          std::pair{m_receiverTokenId, receiver.get()}}) {
        QCOMPARE(call("POST", u"/api/v1/admin/tokens/%1/revoke"_s.arg(tokenId)).status, 204);
        problem = errorProblem(*client, ErrorCode::InvalidToken, u"token revoked"_s);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

void RelayScenariosTest::scenario03HandshakeErrors()
{
    QVERIFY(provision());
    RelayClient batchFirst;
    QVERIFY(batchFirst.open(m_daemon->port(), forwarderPath, forwarderToken));
    batchFirst.send(ForwarderEventBatch{{}, u"b-1"_s, frames(1, 1, 1)});
    QString problem = errorProblem(batchFirst, ErrorCode::ProtocolError,
                                   u"expected forwarder_hello"_s);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    RelayClient otherId;
    QVERIFY(otherId.open(m_daemon->port(), forwarderPath, forwarderToken));
    otherId.send(ForwarderHello{u"other"_s, {readerIp}, std::nullopt});
    problem = errorProblem(otherId, ErrorCode::IdentityMismatch,
                           u"hello forwarder_id does not match token claims"_s);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // An empty forwarder_id is accepted (openForwarder sends one).
    std::unique_ptr<RelayClient> first = openForwarder();
    QVERIFY(first);
    QVERIFY(first->sendBatch(frames(1, 1, 1)));

    // Spec: the newer session wins, the older one is told why and closed.
    std::unique_ptr<RelayClient> second = openForwarder();
    QVERIFY(second);
    problem = errorProblem(*first, ErrorCode::ProtocolError,
                           u"replaced by a newer session of this device"_s);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const std::optional<ForwarderAck> ack = second->sendBatch(frames(1, 2, 2));
    QVERIFY(ack);
    QCOMPARE(entriesOf(ack->entries), QStringList{entryText(1, 2)});
    // The replaced session's close does not take the newer one's stream offline.
    QVERIFY(drained(*second));
    QCOMPARE(stream()[u"online"_s].toBool(), true);

    second->send(ForwarderEventBatch{u"not-this-session"_s, u"b-x"_s, frames(1, 3, 3)});
    problem = errorProblem(*second, ErrorCode::ProtocolError, u"session_id not-this-session"_s,
                           true);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void RelayScenariosTest::scenario04IngestAndAck()
{
    QVERIFY(provision());
    EventStream sse;
    QVERIFY(sse.open(m_daemon->port()));
    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    const std::optional<ForwarderAck> ack = forwarder->sendBatch(frames(1, 1, 1000));
    QVERIFY(ack);
    QCOMPARE(ack->sessionId, forwarder->sessionId());
    QCOMPARE(entriesOf(ack->entries), QStringList{entryText(1, 1000)});

    const QString id = streamId();
    const qsizetype created = sse.waitFor(u"stream_created"_s, forStream(id));
    QVERIFY(created >= 0);
    const QJsonObject announced = sse.events().at(created).data;
    QCOMPARE(announced[u"forwarder_id"_s].toString(), forwarderId);
    QCOMPARE(announced[u"reader_ip"_s].toString(), readerIp);
    QCOMPARE(announced[u"online"_s].toBool(), true);
    QCOMPARE(announced[u"stream_epoch"_s].toInteger(), 1);
    const qsizetype updated = sse.waitFor(u"metrics_updated"_s, [id](const QJsonObject &data) {
        return forStream(id)(data) && data[u"raw_count"_s].toInteger() == 1000;
    });
    QVERIFY(updated > created);
    QCOMPARE(forwarder->all<ForwarderAck>().size(), 1);

    const QJsonObject counters = metrics(id);
    QCOMPARE(counters[u"raw_count"_s].toInteger(), 1000);
    QCOMPARE(counters[u"dedup_count"_s].toInteger(), 1000);
    QCOMPARE(counters[u"retransmit_count"_s].toInteger(), 0);
    QVERIFY(counters[u"lag_ms"_s].isDouble());
    QCOMPARE(stream()[u"online"_s].toBool(), true);
    QCOMPARE(stream()[u"stream_epoch"_s].toInteger(), 1);
}

void RelayScenariosTest::scenario05DisconnectBeforeAck()
{
    QVERIFY(provision());
    std::unique_ptr<RelayClient> lost = openForwarder();
    QVERIFY(lost);
    lost->send(ForwarderEventBatch{lost->sessionId(), u"b-lost"_s, frames(1, 1, 1000)});
    lost->close();

    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    QVERIFY(forwarder->sessionId() != lost->sessionId());
    for (qint64 first = 1; first <= 1000; first += 50) {
        const std::optional<ForwarderAck> ack = forwarder->sendBatch(frames(1, first, first + 49));
        QVERIFY(ack);
        QCOMPARE(entriesOf(ack->entries), QStringList{entryText(1, first + 49)});
    }
    QCOMPARE(forwarder->all<ForwarderAck>().size(), 20);

    const QString id = streamId();
    const HttpReply stored = call("GET", u"/api/v1/streams/%1/export.txt"_s.arg(id));
    QCOMPARE(stored.body.count('\n'), 1000);
    const QJsonObject counters = metrics(id);
    const qint64 retransmits = counters[u"retransmit_count"_s].toInteger();
    QVERIFY2(retransmits == 0 || retransmits == 1000, qPrintable(QString::number(retransmits)));
    QCOMPARE(counters[u"dedup_count"_s].toInteger(), 1000);
    QCOMPARE(counters[u"raw_count"_s].toInteger(), 1000 + retransmits);
}

void RelayScenariosTest::scenario06IdenticalRetransmit()
{
    QVERIFY(provision());
    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    for (int attempt = 0; attempt < 2; ++attempt) {
        const std::optional<ForwarderAck> ack = forwarder->sendBatch(frames(1, 1, 1));
        QVERIFY(ack);
        QCOMPARE(entriesOf(ack->entries), QStringList{entryText(1, 1)});
    }
    // seq 2 follows on the same socket: a second copy of seq 1 would have come before it.
    QVERIFY(forwarder->sendBatch(frames(1, 2, 2)));
    QVERIFY(receiver->waitUntil([&] { return receiver->receivedEvents().size() >= 2; }));
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 2));

    const QJsonObject counters = metrics(streamId());
    QCOMPARE(counters[u"raw_count"_s].toInteger(), 3);
    QCOMPARE(counters[u"dedup_count"_s].toInteger(), 2);
    QCOMPARE(counters[u"retransmit_count"_s].toInteger(), 1);
    QCOMPARE(call("GET", u"/api/v1/streams/%1/epochs/1/export.txt"_s.arg(streamId())).body,
             QByteArray("LINE_1\nLINE_2\n"));
}

void RelayScenariosTest::scenario07ConflictingRetransmit()
{
    QVERIFY(provision());
    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    QVERIFY(forwarder->sendBatch({frame(1, 1, "ORIGINAL_LINE")}));
    // Spec: acked like any event so old forwarders do not stall; no error frame.
    const std::optional<ForwarderAck> ack = forwarder->sendBatch({frame(1, 1, "DIFFERENT_LINE")});
    QVERIFY(ack);
    QCOMPARE(entriesOf(ack->entries), QStringList{entryText(1, 1)});
    QVERIFY(drained(*forwarder));
    QVERIFY(forwarder->all<ErrorMessage>().isEmpty());
    QVERIFY(forwarder->isConnected());

    const QString id = streamId();
    QCOMPARE(call("GET", u"/api/v1/streams/%1/export.txt"_s.arg(id)).body,
             QByteArray("ORIGINAL_LINE\n"));
    const QJsonObject counters = metrics(id);
    QCOMPARE(counters[u"raw_count"_s].toInteger(), 1);
    QCOMPARE(counters[u"dedup_count"_s].toInteger(), 1);
    QCOMPARE(counters[u"retransmit_count"_s].toInteger(), 0);
    QCOMPARE(counters[u"conflict_count"_s].toInteger(), 1);
    QSqlQuery conflicts(m_database->database().connection());
    QVERIFY(conflicts.exec(u"SELECT raw_frame FROM event_conflicts WHERE CAST(stream_id AS TEXT) "
                           "= '%1' AND stream_epoch = 1 AND seq = 1"_s.arg(id)));
    QVERIFY(conflicts.next());
    QCOMPARE(conflicts.value(0).toByteArray(), QByteArray("DIFFERENT_LINE"));
    QVERIFY(!conflicts.next());

    const QJsonArray entries =
            call("GET", u"/api/v1/logs?limit=2000"_s).json()[u"entries"_s].toArray();
    const QString expected =
            u"integrity conflict: %1/%2 epoch=1 seq=1"_s.arg(forwarderId, readerIp);
    bool logged = false;
    for (const QJsonValue &entry : entries) {
        const QString message = entry[u"msg"_s].toString();
        logged = logged
                || (message.contains(u"INTEGRITY_CONFLICT"_s) && message.contains(expected));
    }
    QVERIFY2(logged, QJsonDocument(entries).toJson().constData());
}

void RelayScenariosTest::scenario08ReceiverFirstConnect()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(10);
    QVERIFY(forwarder);

    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QVERIFY(receiver->waitFor<ReceiverStreamMetrics>());
    QCOMPARE(kindsOf(*receiver),
             (QStringList{u"heartbeat"_s, u"receiver_event_batch"_s, u"receiver_mode_applied"_s,
                          u"receiver_stream_metrics"_s}));
    const Heartbeat heartbeat = receiver->all<Heartbeat>().first();
    QCOMPARE(heartbeat.deviceId, receiverId);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 10));
    const ReadEvent first = receiver->receivedEvents().first();
    QCOMPARE(first.forwarderId, forwarderId);
    QCOMPARE(first.readerIp, readerIp);
    QCOMPARE(first.rawFrame, QByteArray("LINE_1"));
    QCOMPARE(first.readType, u"RAW"_s);
    QCOMPARE(first.readerTimestamp, u"2026-02-17T10:00:00.000Z"_s);
    QCOMPARE(receiver->all<ReceiverModeApplied>().first(),
             (ReceiverModeApplied{u"live (1 streams)"_s, 1, {}}));
    const ReceiverStreamMetrics counters = receiver->all<ReceiverStreamMetrics>().first();
    QCOMPARE(counters.forwarderId, forwarderId);
    QCOMPARE(counters.readerIp, readerIp);
    QCOMPARE(counters.rawCount, 10);
    QCOMPARE(counters.dedupCount, 10);
}

void RelayScenariosTest::scenario09CursorResume()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(10);
    QVERIFY(forwarder);

    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 10));
    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 1, 5}}));
    QTRY_COMPARE(cursorSeq(1), 5);
    const QJsonArray cursors =
            call("GET", u"/api/v1/admin/receiver-cursors"_s).json()[u"cursors"_s].toArray();
    QCOMPARE(cursors.size(), 1);
    QCOMPARE(cursors.first()[u"receiver_id"_s].toString(), receiverId);
    QCOMPARE(cursors.first()[u"stream_epoch"_s].toInteger(), 1);
    QCOMPARE(cursors.first()[u"last_seq"_s].toInteger(), 5);
    // A lower ack never moves the cursor back.
    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 1, 3}}));
    receiver->close();

    receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(6, 10));
    QCOMPARE(cursorSeq(1), 5);
    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 1, 10}}));
    QTRY_COMPARE(cursorSeq(1), 10);
    receiver->close();

    // Everything acked: nothing is replayed before receiver_mode_applied; a new event comes alone.
    receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QVERIFY(receiver->receivedEvents().isEmpty());
    QVERIFY(forwarder->sendBatch(frames(1, 11, 11)));
    QVERIFY(receiver->waitFor<ReceiverEventBatch>());
    QCOMPARE(seqsOf(receiver->all<ReceiverEventBatch>().first().events), QList<qint64>{11});
}

void RelayScenariosTest::scenario10ResumeCapping()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(10);
    QVERIFY(forwarder);

    // A resume cursor beyond what is stored is ignored.
    std::unique_ptr<RelayClient> receiver =
            openReceiver(liveHello({{forwarderId, readerIp, 1, 999}}));
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 10));
    receiver->close();

    receiver = openReceiver(liveHello({{forwarderId, readerIp, 1, 4}}));
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(5, 10));
    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 1, 7}}));
    QTRY_COMPARE(cursorSeq(1), 7);
    receiver->close();

    // The persisted cursor (1,7) wins over the lower resume (1,4).
    receiver = openReceiver(liveHello({{forwarderId, readerIp, 1, 4}}));
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(8, 10));
    receiver->close();

    const QString unknownReader = u"10.9.9.9:10000"_s;
    receiver = openReceiver(liveHello({}, {{forwarderId, readerIp}, {forwarderId, unknownReader}}));
    QVERIFY(receiver);
    const QString warning = u"stream not found for %1:%2"_s.arg(forwarderId, unknownReader);
    QCOMPARE(receiver->all<ReceiverModeApplied>().first(),
             (ReceiverModeApplied{u"live (2 streams)"_s, 1, {warning}}));
}

void RelayScenariosTest::scenario11ChunkedReplayAndHandOff()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(1200);
    QVERIFY(forwarder);

    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QList<qsizetype> sizes;
    for (const ReceiverEventBatch &batch : receiver->all<ReceiverEventBatch>())
        sizes.append(batch.events.size());
    QCOMPARE(sizes, (QList<qsizetype>{500, 500, 200}));
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 1200));

    // A second receiver (no cursor was acked) while the forwarder keeps sending.
    RelayClient during;
    QVERIFY(during.open(m_daemon->port(), receiverPath, receiverToken));
    during.send(liveHello());
    for (qint64 first = 1201; first <= 1300; first += 10)
        forwarder->send(ForwarderEventBatch{forwarder->sessionId(), u"live-%1"_s.arg(first),
                                            frames(1, first, first + 9)});
    QVERIFY(forwarder->waitFor<ForwarderAck>(11));
    QVERIFY(during.waitFor<ReceiverModeApplied>());
    QVERIFY(during.waitUntil([&] { return during.receivedEvents().size() >= 1300; }));
    QVERIFY(drained(during));
    QCOMPARE(seqsOf(during.receivedEvents()), seqRange(1, 1300));
    QVERIFY(drained(*receiver));
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 1300));
}

void RelayScenariosTest::scenario12EpochReset()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(3);
    QVERIFY(forwarder);
    forwarder->close();
    const QString id = streamId();
    QTRY_COMPARE(stream()[u"online"_s].toBool(true), false);
    const QString reset = u"/api/v1/streams/%1/reset-epoch"_s;

    const HttpReply offline = call("POST", reset.arg(id));
    QCOMPARE(offline.status, 409);
    QCOMPARE(offline.json().object(), (QJsonObject{{u"code"_s, u"CONFLICT"_s},
                                                   {u"message"_s, u"forwarder not connected"_s}}));
    const HttpReply unknown = call("POST", reset.arg(randomId()));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json()[u"code"_s].toString(), u"NOT_FOUND"_s);

    EventStream sse;
    QVERIFY(sse.open(m_daemon->port()));
    forwarder = openForwarder();
    QVERIFY(forwarder);
    QCOMPARE(call("POST", reset.arg(id)).status, 204);
    const std::optional<EpochResetCommand> command = forwarder->waitFor<EpochResetCommand>();
    QVERIFY(command);
    QCOMPARE(command->forwarderId, forwarderId);
    QCOMPARE(command->readerIp, readerIp);
    QCOMPARE(command->newStreamEpoch, 2);
    // Nothing changes until the new epoch's first event; the reset is pending meanwhile.
    QCOMPARE(stream()[u"stream_epoch"_s].toInteger(), 1);
    QCOMPARE(stream()[u"pending_epoch"_s].toInteger(), 2);
    QJsonObject counters = metrics(id);
    QCOMPARE(counters[u"pending_epoch"_s].toInteger(), 2);
    QCOMPARE(counters[u"epoch_raw_count"_s].toInteger(), 3);
    // Repeated resets before a new read target the same epoch.
    QCOMPARE(call("POST", reset.arg(id)).status, 204);
    QVERIFY(forwarder->waitFor<EpochResetCommand>(2));
    QCOMPARE(forwarder->all<EpochResetCommand>().last().newStreamEpoch, 2);
    QCOMPARE(stream()[u"pending_epoch"_s].toInteger(), 2);

    // Reconnecting before sending epoch 2: the command comes again after the hello.
    forwarder->close();
    forwarder = openForwarder();
    QVERIFY(forwarder);
    QVERIFY(forwarder->waitFor<EpochResetCommand>());
    QCOMPARE(forwarder->all<EpochResetCommand>().first().newStreamEpoch, 2);

    const std::optional<ForwarderAck> ack = forwarder->sendBatch(frames(2, 1, 1));
    QVERIFY(ack);
    QCOMPARE(entriesOf(ack->entries), QStringList{entryText(2, 1)});
    QCOMPARE(stream()[u"stream_epoch"_s].toInteger(), 2);
    QVERIFY(stream()[u"pending_epoch"_s].isNull());
    counters = metrics(id);
    QVERIFY(counters[u"pending_epoch"_s].isNull());
    QCOMPARE(counters[u"epoch_raw_count"_s].toInteger(), 1);
    QCOMPARE(counters[u"raw_count"_s].toInteger(), 4);
    QCOMPARE(counters[u"dedup_count"_s].toInteger(), 4);
    QVERIFY(sse.waitFor(u"stream_updated"_s, [id](const QJsonObject &data) {
        return forStream(id)(data) && data[u"stream_epoch"_s].toInteger() == 2;
    }) >= 0);

    const QJsonArray epochs = call("GET", u"/api/v1/streams/%1/epochs"_s.arg(id)).json().array();
    QCOMPARE(epochs.size(), 2);
    QCOMPARE(epochs[0][u"epoch"_s].toInteger(), 1);
    QCOMPARE(epochs[0][u"event_count"_s].toInteger(), 3);
    QCOMPARE(epochs[0][u"is_current"_s].toBool(), false);
    QCOMPARE(epochs[1][u"epoch"_s].toInteger(), 2);
    QCOMPARE(epochs[1][u"event_count"_s].toInteger(), 1);
    QCOMPARE(epochs[1][u"is_current"_s].toBool(), true);

    // Done: a later session is not told again (the command would come before the ack).
    forwarder->close();
    forwarder = openForwarder();
    QVERIFY(forwarder);
    QVERIFY(forwarder->sendBatch(frames(2, 2, 2)));
    QVERIFY(forwarder->all<EpochResetCommand>().isEmpty());
}

void RelayScenariosTest::scenario13ExportsByteExact()
{
    QFile file(QStringLiteral(PITWALL_SOURCE_DIR "/tests/data/relay/export_reads.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QList<ReadEvent> reads;
    for (const QByteArray &line : lines) {
        ReadEvent event = frame(1, reads.size() + 1, line + "\r\n"); // as a reader sends it
        const std::optional<IpicoRead> parsed = parseIpicoLine(line);
        QVERIFY(parsed);
        event.readerTimestamp = parsed->timestamp;
        reads.append(event);
    }
    QVERIFY(provision());
    const QString emptyReader = u"192.168.50.3:10000"_s;
    std::unique_ptr<RelayClient> forwarder = openForwarder({readerIp, secondReaderIp, emptyReader});
    QVERIFY(forwarder);
    QVERIFY(forwarder->sendBatch(reads));
    QVERIFY(forwarder->sendBatch({frame(1, 1, "ONE\n", secondReaderIp),
                                  frame(2, 1, "CSV,WITH,COMMAS\r\n", secondReaderIp),
                                  frame(2, 2, "garbage", secondReaderIp)}));

    const QString base = u"/api/v1/streams/%1"_s.arg(streamId());
    const HttpReply text = call("GET", base + u"/export.txt"_s);
    QCOMPARE(text.status, 200);
    QCOMPARE(text.body, lines.join('\n') + '\n');
    const HttpReply csv = call("GET", base + u"/export.csv"_s);
    QCOMPARE(csv.status, 200);
    const QByteArray expectedCsv =
        csvHeader
        + "1,1,2001-12-30T18:45:00.000,aa400000000123450a2a0112301845000090,RAW,000000012345\n"
          "1,2,2001-12-30T18:45:10.100,aa400000000123450a2a0112301845100ac2,RAW,000000012345\n"
          "1,3,2001-12-30T18:45:20.250,aa400000000123450a2a011230184520199c,RAW,000000012345\n"
          "1,4,2001-12-30T18:45:30.500,aa400000000123450a2a0112301845303298,RAW,000000012345\n"
          "1,5,2001-12-30T18:45:40.990,aa400000000123450a2a011230184540639d,RAW,000000012345\n";
    QCOMPARE(csv.body, expectedCsv);

    const QString second = u"/api/v1/streams/%1"_s.arg(streamId(secondReaderIp));
    QCOMPARE(call("GET", second + u"/epochs/2/export.csv"_s).body,
             csvHeader
                     + "2,1,2026-02-17T10:00:00.000Z,\"CSV,WITH,COMMAS\",RAW,\n"
                       "2,2,2026-02-17T10:00:00.000Z,garbage,RAW,\n");
    QCOMPARE(call("GET", second + u"/epochs/2/export.txt"_s).body,
             QByteArray("CSV,WITH,COMMAS\ngarbage\n"));
    QCOMPARE(call("GET", second + u"/export.txt"_s).body,
             QByteArray("ONE\nCSV,WITH,COMMAS\ngarbage\n"));

    const QString empty = u"/api/v1/streams/%1"_s.arg(streamId(emptyReader));
    const HttpReply emptyCsv = call("GET", empty + u"/export.csv"_s);
    QCOMPARE(emptyCsv.status, 200);
    QCOMPARE(emptyCsv.body, csvHeader);
    const HttpReply emptyText = call("GET", empty + u"/export.txt"_s);
    QCOMPARE(emptyText.status, 200);
    QCOMPARE(emptyText.body, QByteArray());
    const HttpReply unknown = call("GET", u"/api/v1/streams/%1/export.csv"_s.arg(randomId()));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json()[u"code"_s].toString(), u"NOT_FOUND"_s);
}

void RelayScenariosTest::scenario14TargetedReplay()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(10);
    QVERIFY(forwarder);

    std::unique_ptr<RelayClient> receiver = openReceiver(
            {receiverId, TargetedReplayMode{{{forwarderId, readerIp, 1, 3}}}, {}});
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(3, 10));
    QCOMPARE(receiver->all<ReceiverModeApplied>().first(),
             (ReceiverModeApplied{u"targeted_replay (1 targets)"_s, 1, {}}));

    QVERIFY(forwarder->sendBatch(frames(1, 11, 11)));
    QVERIFY(drained(*receiver));
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(3, 10));
    QVERIFY(receiver->isConnected());

    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 1, 10}}));
    receiver->close();
    // A live session of the same receiver starts after any cursor write of the last one.
    receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 11));
    QCOMPARE(cursorSeq(1), -1);
}

void RelayScenariosTest::scenario15DisconnectBookkeeping()
{
    QVERIFY(provision());
    EventStream sse;
    QVERIFY(sse.open(m_daemon->port()));
    std::unique_ptr<RelayClient> forwarder = openForwarder();
    QVERIFY(forwarder);
    forwarder->send(ReaderStatusUpdate{readerIp, true});
    QTRY_COMPARE(stream()[u"reader_connected"_s].toBool(), true);
    QCOMPARE(stream()[u"online"_s].toBool(), true);
    const QString id = streamId();

    forwarder->close();
    QTRY_COMPARE(stream()[u"online"_s].toBool(true), false);
    QCOMPARE(stream()[u"reader_connected"_s].toBool(true), false);
    QVERIFY(sse.waitFor(u"stream_updated"_s, [id](const QJsonObject &data) {
        return forStream(id)(data) && data[u"online"_s] == false
                && data[u"reader_connected"_s] == false;
    }) >= 0);
    // The research's proxy check (GET /api/v1/forwarders/<id>/config -> 404 "forwarder not
    // connected") is left out: the forwarder proxy routes are not implemented.
}

void RelayScenariosTest::scenario16RestartDurability()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(10);
    QVERIFY(forwarder);
    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(1, 10));
    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 1, 6}}));
    QTRY_COMPARE(cursorSeq(1), 6);
    QCOMPARE(stream()[u"online"_s].toBool(), true);

    // A crash, not a clean stop: the online flags stay in the database until the next start.
    m_daemon->stop(SIGKILL);
    QVERIFY(!m_daemon->isRunning());
    QVERIFY(startDaemon());
    QCOMPARE(stream()[u"online"_s].toBool(true), false);
    const QString id = streamId();
    QCOMPARE(metrics(id)[u"dedup_count"_s].toInteger(), 10);
    QCOMPARE(call("GET", u"/api/v1/streams/%1/export.txt"_s.arg(id)).body.count('\n'), 10);
    QCOMPARE(cursorSeq(1), 6);

    receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QCOMPARE(seqsOf(receiver->receivedEvents()), seqRange(7, 10));
    forwarder = openForwarder();
    QVERIFY(forwarder);
    QCOMPARE(stream()[u"online"_s].toBool(), true);
}

void RelayScenariosTest::scenario17Health()
{
    QVERIFY2(!m_daemon->output().contains("route not registered"), m_daemon->output().constData());
    const HttpReply health = call("GET", u"/healthz"_s);
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, QByteArray("ok"));
    const HttpReply ready = call("GET", u"/readyz"_s);
    QCOMPARE(ready.status, 200);
    QCOMPARE(ready.json()[u"status"_s].toString(), u"ready"_s);
    QCOMPARE(ready.json()[u"checks"_s][u"relay"_s][u"ready"_s].toBool(), true);
    for (const QString &path : {u"/api/x"_s, u"/api/v1/nothing-here"_s}) {
        const HttpReply missing = call("GET", path);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json()[u"code"_s].toString(), u"NOT_FOUND"_s);
    }
}

void RelayScenariosTest::legacyReceiverEndpoint()
{
    QVERIFY(provision());
    std::unique_ptr<RelayClient> forwarder = openForwarder({readerIp, secondReaderIp});
    QVERIFY(forwarder);
    QVERIFY(forwarder->sendBatch(frames(1, 1, 10) + frames(1, 1, 5, secondReaderIp)));

    RelayClient receiver;
    QVERIFY(receiver.open(m_daemon->port(), legacyPath, receiverToken));
    receiver.send(ReceiverHello{receiverId, {{forwarderId, readerIp, 1, 4}}});
    QVERIFY(receiver.waitUntil([&] { return receiver.receivedEvents().size() >= 6; }));
    QCOMPARE(keysOf(receiver.receivedEvents()),
             (QStringList{u"1:5"_s, u"1:6"_s, u"1:7"_s, u"1:8"_s, u"1:9"_s, u"1:10"_s}));

    receiver.send(ReceiverSubscribe{receiver.sessionId(), {{forwarderId, secondReaderIp}}});
    QVERIFY(receiver.waitUntil([&] { return receiver.receivedEvents().size() >= 11; }));
    QCOMPARE(seqsOf(receiver.receivedEvents().mid(6)), seqRange(1, 5));
    QCOMPARE(receiver.receivedEvents().last().readerIp, secondReaderIp);

    QVERIFY(forwarder->sendBatch({frame(1, 11, "LINE_11"), frame(1, 6, "S2_6", secondReaderIp)}));
    QVERIFY(receiver.waitUntil([&] { return receiver.receivedEvents().size() >= 13; }));
    QVERIFY(drained(receiver));
    QCOMPARE(receiver.receivedEvents().size(), 13);
    QVERIFY(receiver.all<ReceiverModeApplied>().isEmpty()); // v1 has no such message

    receiver.send(receiverAck(receiver, {{forwarderId, readerIp, 1, 11}}));
    QTRY_COMPARE(cursorSeq(1), 11);
}

void RelayScenariosTest::lateEventsOfAnOlderEpoch()
{
    std::unique_ptr<RelayClient> forwarder = provisionedForwarder(3);
    QVERIFY(forwarder);
    std::unique_ptr<RelayClient> receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QVERIFY(forwarder->sendBatch(frames(2, 1, 2)));
    QVERIFY(forwarder->sendBatch(frames(1, 4, 4))); // late, after the stream moved to epoch 2
    QVERIFY(receiver->waitUntil([&] { return receiver->receivedEvents().size() >= 6; }));
    QCOMPARE(keysOf(receiver->receivedEvents()),
             (QStringList{u"1:1"_s, u"1:2"_s, u"1:3"_s, u"2:1"_s, u"2:2"_s, u"1:4"_s}));
    QCOMPARE(stream()[u"stream_epoch"_s].toInteger(), 2);

    receiver->send(receiverAck(*receiver, {{forwarderId, readerIp, 2, 2},
                                           {forwarderId, readerIp, 1, 4}}));
    QTRY_COMPARE(cursorSeq(1), 4);
    QTRY_COMPARE(cursorSeq(2), 2);
    receiver->close();

    // Offline meanwhile: one more late epoch-1 event and one of epoch 2, both replayed.
    QVERIFY(forwarder->sendBatch({frame(2, 3, "LINE_3"), frame(1, 5, "LINE_5")}));
    receiver = openReceiver(liveHello());
    QVERIFY(receiver);
    QCOMPARE(keysOf(receiver->receivedEvents()), (QStringList{u"1:5"_s, u"2:3"_s}));
}

void RelayScenariosTest::receiverProtocolErrors()
{
    QVERIFY(provision());
    struct Case
    {
        QString path;
        bool helloFirst;
        QByteArray frame;
        QString message;
        bool prefix;
    };
    const QByteArray forwarderHello = serialize(ForwarderHello{{}, {readerIp}, std::nullopt});
    const QList<Case> cases{
            {receiverPath, false, serialize(ReceiverAck{}), u"expected receiver_hello_v12"_s,
             false},
            {receiverPath, false, "{not json", u"expected receiver_hello_v12"_s, false},
            {legacyPath, false, serialize(liveHello()), u"expected receiver_hello"_s, false},
            {receiverPath, true, serialize(liveHello()),
             u"mid-session mode changes are not supported"_s, false},
            {receiverPath, true, forwarderHello, u"unexpected message kind"_s, false},
            {receiverPath, true, "{not json", u"invalid JSON in message"_s, true},
    };
    for (const Case &test : cases) {
        RelayClient receiver;
        QVERIFY(receiver.open(m_daemon->port(), test.path, receiverToken));
        if (test.helloFirst) {
            receiver.send(liveHello({}, {}));
            QVERIFY(receiver.waitFor<ReceiverModeApplied>());
        }
        receiver.sendText(test.frame);
        const QString problem = errorProblem(receiver, ErrorCode::ProtocolError, test.message,
                                             test.prefix);
        QVERIFY2(problem.isEmpty(), qPrintable(test.message + u": "_s + problem));
    }
}

QTEST_GUILESS_MAIN(RelayScenariosTest)
#include "relayscenarios.moc"
