#include "relay/protocol/protocollimits.h"
#include "relay/protocol/relaymessage.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// Copies of /work/shared/relay-protocol/examples (the wire contract), kept with the fuzz seeds.
const QString examplesDir = QStringLiteral(PITWALL_SOURCE_DIR "/tests/fuzz/corpus/relaymessage");

QJsonObject exampleObject(const QString &name)
{
    QFile file(QDir(examplesDir).filePath(u"ok-"_s + name + u".json"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Keys a message may leave out (optional on the wire).
const QStringList optionalKeys{u"display_name"_s,  u"error"_s,        u"status_code"_s,
                               u"earliest_epochs"_s, u"resume"_s,      u"from_seq"_s,
                               u"lag_ms"_s,          u"epoch_lag_ms"_s, u"epoch_last_received_at"_s};

// Writes a modified copy of one nested object back into a copy of the whole message.
using Rebuild = std::function<QJsonObject(const QJsonObject &)>;

// Removes one required key at a time, everywhere in the message except inside the free-form
// `config`/`payload` values, and records the path the parser must name.
void addRemovalRows(const QString &example, const QJsonObject &object, const QString &path,
                    const Rebuild &rebuild)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QString keyPath = path.isEmpty() ? key : path + u'.' + key;
        if (!optionalKeys.contains(key)) {
            QJsonObject without = object;
            without.remove(key);
            QTest::addRow("%s: %s", qPrintable(example), qPrintable(keyPath))
                << compact(rebuild(without)) << keyPath;
        }
        if (key == u"config"_s || key == u"payload"_s)
            continue;
        const Rebuild withChild = [&object, key, &rebuild](const QJsonObject &child) {
            QJsonObject copy = object;
            copy.insert(key, child);
            return rebuild(copy);
        };
        if (it.value().isObject())
            addRemovalRows(example, it.value().toObject(), keyPath, withChild);
        const QJsonArray array = it.value().toArray();
        if (!array.isEmpty() && array.first().isObject()) {
            const Rebuild withItem = [&object, key, &rebuild, array](const QJsonObject &item) {
                QJsonArray copy = array;
                copy.replace(0, item);
                QJsonObject parent = object;
                parent.insert(key, copy);
                return rebuild(parent);
            };
            addRemovalRows(example, array.first().toObject(), keyPath + u"[0]"_s, withItem);
        }
    }
}

void addRemovalRows(const QString &example, const QJsonObject &root)
{
    addRemovalRows(example, root, QString(), [](const QJsonObject &o) { return o; });
}

QStringList exampleNames()
{
    QStringList names;
    for (const QString &file : QDir(examplesDir).entryList({u"ok-*.json"_s}, QDir::Files, QDir::Name))
        names.append(file.mid(3, file.size() - 3 - 5));
    return names;
}

// The research's receiver hellos (§1.8, §1.10): not among the shared examples.
const QList<QByteArray> receiverHellos{
    R"({"kind":"receiver_hello_v12","receiver_id":"rcv-1","mode":{"mode":"live","streams":[{"forwarder_id":"fwd-1","reader_ip":"192.168.1.10:10000"}],"earliest_epochs":[{"forwarder_id":"fwd-1","reader_ip":"192.168.1.10:10000","earliest_epoch":2}]},"resume":[{"forwarder_id":"fwd-1","reader_ip":"192.168.1.10:10000","stream_epoch":2,"last_seq":40}]})"_ba,
    R"({"kind":"receiver_hello_v12","receiver_id":"rcv-1","mode":{"mode":"race","race_id":"11111111-1111-1111-1111-111111111111"},"resume":[]})"_ba,
    R"({"kind":"receiver_hello_v12","receiver_id":"rcv-1","mode":{"mode":"targeted_replay","targets":[{"forwarder_id":"fwd-1","reader_ip":"192.168.1.10:10000","stream_epoch":1,"from_seq":3}]},"resume":[]})"_ba,
    R"({"kind":"receiver_hello","receiver_id":"rcv-win-001","resume":[{"forwarder_id":"fwd-001","reader_ip":"192.168.1.10","stream_epoch":1,"last_seq":4000}]})"_ba,
    R"({"kind":"receiver_subscribe","session_id":"s","streams":[{"forwarder_id":"fwd-1","reader_ip":"192.168.1.10:10000"}]})"_ba,
    "{\"kind\":\"receiver_mode_applied\",\"mode_summary\":\"live (1 streams)\","
    "\"resolved_stream_count\":1,\"warnings\":[]}"_ba,
    R"({"kind":"reader_status_update","reader_ip":"192.168.1.10:10000","connected":true})"_ba,
    R"({"kind":"reader_status_changed","stream_id":"0b0e","reader_ip":"192.168.1.10:10000","connected":false})"_ba,
};

ParseError parseFailure(const QByteArray &text)
{
    const ParseResult result = parseMessage(text);
    if (const auto *error = std::get_if<ParseError>(&result))
        return *error;
    return ParseError{ParseError::Kind::InvalidJson, ErrorCode::InternalError, u"<parsed>"_s,
                      u"unexpectedly parsed"_s, {}};
}

} // namespace

class RelayProtocolTest final : public QObject
{
    Q_OBJECT

private slots:
    void examplesRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("text");
        const QStringList names = exampleNames();
        // Every file of the contract's examples/ directory has its copy here.
        for (const char *shared : {"config_get_request", "config_get_response", "config_get_response_error",
                                   "config_set_request", "config_set_response",
                                   "config_set_response_error_internal", "epoch_reset_command", "error",
                                   "forwarder_ack", "forwarder_event_batch", "forwarder_hello", "heartbeat",
                                   "receiver_ack", "receiver_event_batch", "restart_request", "restart_response"})
            QVERIFY2(names.contains(QLatin1StringView(shared)), shared);
        for (const QString &name : names)
            QTest::newRow(qPrintable(name)) << compact(exampleObject(name));
        for (qsizetype i = 0; i < receiverHellos.size(); ++i)
            QTest::addRow("research-%d", int(i)) << receiverHellos[i];
    }

    // Every message parses, names its kind and serializes back to an equal JSON object.
    void examplesRoundTrip()
    {
        QFETCH(QByteArray, text);
        const ParseResult result = parseMessage(text);
        const auto *error = std::get_if<ParseError>(&result);
        QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
        const Message &message = std::get<Message>(result);
        const QJsonObject expected = QJsonDocument::fromJson(text).object();
        QCOMPARE(QString(messageKind(message)), expected[u"kind"_s].toString());
        const QByteArray written = serialize(message);
        QVERIFY2(!written.contains('\n'), written.constData());
        QCOMPARE(QJsonDocument::fromJson(written).object(), expected);
    }

    void exampleStructs()
    {
        const auto parsed = [](const QString &name) {
            return std::get<Message>(parseMessage(compact(exampleObject(name))));
        };
        const auto batch = std::get<ForwarderEventBatch>(parsed(u"forwarder_event_batch"_s));
        QCOMPARE(batch.sessionId, u"sess-abc123"_s);
        QCOMPARE(batch.batchId, u"batch-0042"_s);
        QCOMPARE(batch.events.size(), 2);
        QCOMPARE(batch.events[1].seq, 4202);
        QCOMPARE(batch.events[1].rawFrame, "09001234567890124 12:00:01.500 1"_ba);
        QCOMPARE(batch.events[1].readType, u"RAW"_s);

        const auto hello = std::get<ForwarderHello>(parsed(u"forwarder_hello"_s));
        QCOMPARE(hello.readerIps, (QStringList{u"192.168.1.10"_s, u"192.168.1.11"_s}));
        QVERIFY(!hello.displayName);

        const auto error = std::get<ErrorMessage>(parsed(u"error"_s));
        QVERIFY(error.code == ErrorCode::SessionExpired);
        QVERIFY(error.retryable);

        const auto config = std::get<ConfigGetResponse>(parsed(u"config_get_response_error"_s));
        QCOMPARE(config.error.value_or(QString()), u"File read error: permission denied"_s);
        QVERIFY(config.config.isNull());

        const auto set = std::get<ConfigSetResponse>(parsed(u"config_set_response_error_internal"_s));
        QCOMPARE(set.statusCode.value_or(0), 500);
        QCOMPARE(std::get<EpochResetCommand>(parsed(u"epoch_reset_command"_s)).newStreamEpoch, 4);
        QCOMPARE(std::get<ForwarderAck>(parsed(u"forwarder_ack"_s)).entries[0].lastSeq, 4202);
    }

    void receiverHelloModes()
    {
        const auto live = std::get<ReceiverHelloV12>(std::get<Message>(parseMessage(receiverHellos[0])));
        const auto &mode = std::get<LiveMode>(live.mode);
        QVERIFY(mode.streams == (QList<StreamRef>{{u"fwd-1"_s, u"192.168.1.10:10000"_s}}));
        QCOMPARE(mode.earliestEpochs[0].earliestEpoch, 2);
        QCOMPARE(live.resume[0].lastSeq, 40);
        const auto race = std::get<ReceiverHelloV12>(std::get<Message>(parseMessage(receiverHellos[1])));
        QCOMPARE(std::get<RaceMode>(race.mode).raceId, u"11111111-1111-1111-1111-111111111111"_s);

        // resume and from_seq are optional; from_seq 0 is clamped to 1 as the reference does.
        const auto replay = std::get<ReceiverHelloV12>(std::get<Message>(parseMessage(
            "{\"kind\":\"receiver_hello_v12\",\"receiver_id\":\"\",\"mode\":{\"mode\":\"targeted_replay\",\"targets\":[{\"forwarder_id\":\"f\",\"reader_ip\":\"i\",\"stream_epoch\":1},{\"forwarder_id\":\"f\",\"reader_ip\":\"i\",\"stream_epoch\":1,\"from_seq\":0}]}}")));
        QVERIFY(replay.resume.isEmpty());
        const auto &targets = std::get<TargetedReplayMode>(replay.mode).targets;
        QCOMPARE(targets[0].fromSeq, 1);
        QCOMPARE(targets[1].fromSeq, 1);
    }

    void constructedMessagesRoundTrip()
    {
        const QList<Message> messages{
            ErrorMessage{ErrorCode::ProtocolError, u"expected forwarder_hello"_s, false},
            ForwarderAck{u"s"_s, {}},
            ForwarderHello{u"fwd-1"_s, {u"10.0.0.1:10000"_s}, u"Finish"_s},
            ReceiverEventBatch{u"s"_s,
                               {ReadEvent{u"f"_s, u"i"_s, 9007199254740993, 1, u""_s,
                                          QByteArray("\x00\xff\r\n", 4), u"raw"_s}}},
            ConfigSetRequest{u"r"_s, u"control"_s, QJsonObject{{u"action"_s, u"restart_device"_s}}},
            ReceiverHelloV12{u"rcv"_s, LiveMode{{{u"f"_s, u"i"_s}}, {}}, {}},
        };
        for (const Message &message : messages) {
            const ParseResult again = parseMessage(serialize(message));
            const auto *error = std::get_if<ParseError>(&again);
            QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
            QVERIFY(std::get<Message>(again) == message);
        }
        const QByteArray expected =
            "{\"code\":\"INVALID_TOKEN\",\"kind\":\"error\",\"message\":\"unknown or revoked token\",\"retryable\":false}";
        QCOMPARE(serialize(ErrorMessage{ErrorCode::InvalidToken, u"unknown or revoked token"_s, false}),
                 expected);
    }

    void sharedEventsArrayMatchesTheWholeBatch()
    {
        const QList<ReadEvent> events{
            ReadEvent{u"fwd-1"_s, u"10.0.0.1:10000"_s, 2, 7, u"2001-12-30T18:45:00.000"_s,
                      QByteArray("aa40\"\\\r\n", 8), u"raw"_s},
            ReadEvent{u"fwd-1"_s, u"10.0.0.1:10000"_s, 2, 8, u""_s, QByteArray(), u"FSLS"_s}};
        for (const QList<ReadEvent> &batch : {events, QList<ReadEvent>()}) {
            QCOMPARE(receiverEventBatch(eventsArray(batch), u"s-1"_s),
                     serialize(ReceiverEventBatch{u"s-1"_s, batch}));
        }
    }

    void requiredFieldRemoved_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("field");
        for (const QString &name : exampleNames())
            addRemovalRows(name, exampleObject(name));
        for (qsizetype i = 0; i < receiverHellos.size(); ++i)
            addRemovalRows(u"research-%1"_s.arg(i), QJsonDocument::fromJson(receiverHellos[i]).object());
    }

    void requiredFieldRemoved()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, field);
        const ParseError error = parseFailure(text);
        QCOMPARE(error.field, field);
        QCOMPARE(error.reason, u"missing required field"_s);
        QVERIFY(error.kind == ParseError::Kind::InvalidField);
        QVERIFY(error.code == ErrorCode::ProtocolError);
    }

    void invalidValues_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("field");
        const auto event = [](const QString &key) { return u"events[1]."_s + key; };
        QTest::newRow("seq as string") << u"seq"_s << QJsonValue(u"4202"_s) << event(u"seq"_s);
        QTest::newRow("seq fraction") << u"seq"_s << QJsonValue(1.5) << event(u"seq"_s);
        QTest::newRow("seq 2^64") << u"seq"_s << QJsonValue(18446744073709551616.0) << event(u"seq"_s);
        QTest::newRow("seq -1") << u"seq"_s << QJsonValue(-1) << event(u"seq"_s);
        QTest::newRow("seq 0") << u"seq"_s << QJsonValue(0) << event(u"seq"_s);
        QTest::newRow("epoch 0") << u"stream_epoch"_s << QJsonValue(0) << event(u"stream_epoch"_s);
        QTest::newRow("epoch null") << u"stream_epoch"_s << QJsonValue() << event(u"stream_epoch"_s);
        QTest::newRow("raw_frame 256") << u"raw_frame"_s << QJsonValue(QJsonArray{97, 256})
                                       << event(u"raw_frame[1]"_s);
        QTest::newRow("raw_frame -1") << u"raw_frame"_s << QJsonValue(QJsonArray{-1}) << event(u"raw_frame[0]"_s);
        QTest::newRow("raw_frame byte as string") << u"raw_frame"_s << QJsonValue(QJsonArray{u"97"_s})
                                                  << event(u"raw_frame[0]"_s);
        QTest::newRow("raw_frame base64") << u"raw_frame"_s << QJsonValue(u"YWE="_s) << event(u"raw_frame"_s);
        QTest::newRow("reader_ip number") << u"reader_ip"_s << QJsonValue(10) << event(u"reader_ip"_s);
        QTest::newRow("read_type null") << u"read_type"_s << QJsonValue() << event(u"read_type"_s);
        QJsonArray tooLong;
        for (qsizetype i = 0; i <= ProtocolLimits::MaxRawFrameBytes; ++i)
            tooLong.append(97);
        QTest::newRow("raw_frame too long") << u"raw_frame"_s << QJsonValue(tooLong) << event(u"raw_frame"_s);
    }

    // Each bad value in the second event of the example batch is refused with its exact path.
    void invalidValues()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, field);
        QJsonObject batch = exampleObject(u"forwarder_event_batch"_s);
        QJsonArray events = batch[u"events"_s].toArray();
        QJsonObject second = events[1].toObject();
        second.insert(key, value);
        events.replace(1, second);
        batch.insert(u"events"_s, events);
        const ParseError error = parseFailure(compact(batch));
        QCOMPARE(error.field, field);
        QVERIFY(error.kind == ParseError::Kind::InvalidField);
        QCOMPARE(error.messageKind, u"forwarder_event_batch"_s);
        QVERIFY(!error.reason.isEmpty());
    }

    void invalidMessages_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("field");
        const int json = int(ParseError::Kind::InvalidJson);
        const int invalid = int(ParseError::Kind::InvalidField);
        QTest::newRow("not JSON") << "{\"kind\":"_ba << json << QString();
        QTest::newRow("array") << "[]"_ba << json << QString();
        QTest::newRow("empty") << QByteArray() << json << QString();
        QTest::newRow("no kind") << "{}"_ba << invalid << u"kind"_s;
        QTest::newRow("kind number") << "{\"kind\":1}"_ba << invalid << u"kind"_s;
        QTest::newRow("unknown kind") << "{\"kind\":\"reader_info_update\",\"reader_ip\":\"x\"}"_ba
                                      << int(ParseError::Kind::UnknownKind) << u"kind"_s;
        QTest::newRow("unknown error code") << "{\"kind\":\"error\",\"code\":\"NOPE\",\"message\":\"m\",\"retryable\":false}"_ba
                                            << invalid << u"code"_s;
        QTest::newRow("retryable string") << "{\"kind\":\"error\",\"code\":\"INTERNAL_ERROR\",\"message\":\"m\",\"retryable\":\"true\"}"_ba
                                          << invalid << u"retryable"_s;
        QTest::newRow("reader_ips item") << "{\"kind\":\"forwarder_hello\",\"forwarder_id\":\"f\",\"reader_ips\":[\"a\",1]}"_ba
                                         << invalid << u"reader_ips[1]"_s;
        QTest::newRow("display_name number") << "{\"kind\":\"forwarder_hello\",\"forwarder_id\":\"f\",\"reader_ips\":[],\"display_name\":3}"_ba
                                             << invalid << u"display_name"_s;
        QTest::newRow("events not array") << "{\"kind\":\"receiver_event_batch\",\"session_id\":\"s\",\"events\":{}}"_ba
                                          << invalid << u"events"_s;
        QTest::newRow("event not object") << "{\"kind\":\"receiver_event_batch\",\"session_id\":\"s\",\"events\":[1]}"_ba
                                          << invalid << u"events[0]"_s;
        QTest::newRow("reset to epoch 1") << "{\"kind\":\"epoch_reset_command\",\"session_id\":\"\",\"forwarder_id\":\"f\",\"reader_ip\":\"i\",\"new_stream_epoch\":1}"_ba
                                          << invalid << u"new_stream_epoch"_s;
        QTest::newRow("status_code 70000") << "{\"kind\":\"config_set_response\",\"request_id\":\"r\",\"ok\":true,\"error\":null,\"restart_needed\":false,\"status_code\":70000}"_ba
                                           << invalid << u"status_code"_s;
        QTest::newRow("last_seq -1") << "{\"kind\":\"receiver_ack\",\"session_id\":\"s\",\"entries\":[{\"forwarder_id\":\"f\",\"reader_ip\":\"i\",\"stream_epoch\":1,\"last_seq\":-1}]}"_ba
                                     << invalid << u"entries[0].last_seq"_s;
        QTest::newRow("unknown mode") << "{\"kind\":\"receiver_hello_v12\",\"receiver_id\":\"r\",\"mode\":{\"mode\":\"manual\"}}"_ba
                                      << invalid << u"mode.mode"_s;
        QTest::newRow("mode not object") << "{\"kind\":\"receiver_hello_v12\",\"receiver_id\":\"r\",\"mode\":\"live\"}"_ba
                                         << invalid << u"mode"_s;
        QTest::newRow("race_id number") << "{\"kind\":\"receiver_hello_v12\",\"receiver_id\":\"r\",\"mode\":{\"mode\":\"race\",\"race_id\":5}}"_ba
                                        << invalid << u"mode.race_id"_s;
    }

    void invalidMessages()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, kind);
        QFETCH(QString, field);
        const ParseError error = parseFailure(text);
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.field, field);
        QVERIFY(error.code == ErrorCode::ProtocolError);
        QVERIFY(!error.reason.isEmpty());
    }

    void unknownFieldsAreIgnored()
    {
        const ParseResult result = parseMessage(
            "{\"kind\":\"heartbeat\",\"session_id\":\"s\",\"device_id\":\"d\",\"extra\":{\"x\":1}}");
        QVERIFY(std::get<Heartbeat>(std::get<Message>(result)) == (Heartbeat{u"s"_s, u"d"_s}));
    }

    // Qt's JSON parser keeps no difference between 1 and 1.0 or 1e3, so whole numbers written
    // as decimals are read as integers (serde would refuse them); fractions never are.
    void wholeNumberDecimals()
    {
        const ParseResult result = parseMessage("{\"kind\":\"receiver_ack\",\"session_id\":\"s\",\"entries\":"
                                                "[{\"forwarder_id\":\"f\",\"reader_ip\":\"i\",\"stream_epoch\":1.0,\"last_seq\":1e3}]}");
        const ReceiverAck ack = std::get<ReceiverAck>(std::get<Message>(result));
        QCOMPARE(ack.entries[0].streamEpoch, 1);
        QCOMPARE(ack.entries[0].lastSeq, 1000);
    }

    void sizeCaps()
    {
        QJsonArray entries;
        const QJsonObject entry{{u"forwarder_id"_s, u"f"_s}, {u"reader_ip"_s, u"i"_s},
                                {u"stream_epoch"_s, 1}, {u"last_seq"_s, 1}};
        for (qsizetype i = 0; i < ProtocolLimits::MaxArrayItems; ++i)
            entries.append(entry);
        QJsonObject ack{{u"kind"_s, u"forwarder_ack"_s}, {u"session_id"_s, u"s"_s}, {u"entries"_s, entries}};
        QVERIFY(std::holds_alternative<Message>(parseMessage(compact(ack))));
        entries.append(entry);
        ack.insert(u"entries"_s, entries);
        QCOMPARE(parseFailure(compact(ack)).field, u"entries"_s);

        QByteArray huge = "{\"kind\":\"heartbeat\",\"session_id\":\"s\",\"device_id\":\""_ba;
        huge.append(QByteArray(ProtocolLimits::MaxMessageBytes, 'x')).append("\"}");
        QVERIFY(parseFailure(huge).kind == ParseError::Kind::InvalidJson);
    }

    void errorCodes()
    {
        const std::pair<QString, bool> codes[] = {
            {u"INVALID_TOKEN"_s, false},     {u"SESSION_EXPIRED"_s, true},
            {u"PROTOCOL_ERROR"_s, false},    {u"IDENTITY_MISMATCH"_s, false},
            {u"INTEGRITY_CONFLICT"_s, false}, {u"INTERNAL_ERROR"_s, true}};
        for (const auto &[name, retryable] : codes) {
            const auto code = errorCodeFromName(name);
            QVERIFY(code);
            QCOMPARE(errorCodeName(*code), name);
            QCOMPARE(isRetryable(*code), retryable);
        }
        QVERIFY(!errorCodeFromName(u"INVALID_MESSAGE"_s));
    }
};

QTEST_APPLESS_MAIN(RelayProtocolTest)
#include "relayprotocol.moc"
