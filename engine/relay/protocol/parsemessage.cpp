#include "relay/protocol/relaymessage.h"

#include "relay/protocol/jsonreader.h"
#include "relay/protocol/protocollimits.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

using namespace Qt::StringLiterals;

namespace Pitwall {

// Range rules, from the schema where it has them: stream epochs start at 1 and sequence
// numbers at 1 (a receiver cursor starts at (epoch, 0) exclusive, so seq 0 could never be
// replayed), acknowledged/resumed last_seq may be 0, a reset targets epoch 2 or later. The
// reference server is looser (it accepts 0 everywhere); real forwarders never send 0. Arrays may
// be empty: the reference itself sends `entries: []` for an empty batch.

namespace {

constexpr qint64 maxI64 = std::numeric_limits<qint64>::max();

ReadEvent readEvent(JsonReader &r)
{
    ReadEvent e;
    e.forwarderId = r.string(u"forwarder_id"_s);
    e.readerIp = r.string(u"reader_ip"_s);
    e.streamEpoch = r.integer(u"stream_epoch"_s, 1);
    e.seq = r.integer(u"seq"_s, 1);
    e.readerTimestamp = r.string(u"reader_timestamp"_s);
    e.rawFrame = r.bytes(u"raw_frame"_s, ProtocolLimits::MaxRawFrameBytes);
    e.readType = r.string(u"read_type"_s);
    return e;
}

AckEntry ackEntry(JsonReader &r)
{
    AckEntry e;
    e.forwarderId = r.string(u"forwarder_id"_s);
    e.readerIp = r.string(u"reader_ip"_s);
    e.streamEpoch = r.integer(u"stream_epoch"_s, 1);
    e.lastSeq = r.integer(u"last_seq"_s, 0);
    return e;
}

StreamRef streamRef(JsonReader &r)
{
    return {r.string(u"forwarder_id"_s), r.string(u"reader_ip"_s)};
}

EarliestEpochOverride earliestEpoch(JsonReader &r)
{
    EarliestEpochOverride e;
    e.forwarderId = r.string(u"forwarder_id"_s);
    e.readerIp = r.string(u"reader_ip"_s);
    e.earliestEpoch = r.integer(u"earliest_epoch"_s, 1);
    return e;
}

ReplayTarget replayTarget(JsonReader &r)
{
    ReplayTarget t;
    t.forwarderId = r.string(u"forwarder_id"_s);
    t.readerIp = r.string(u"reader_ip"_s);
    t.streamEpoch = r.integer(u"stream_epoch"_s, 1);
    // The reference clamps from_seq to >= 1, so 0 is accepted and means "from the start".
    t.fromSeq = std::max<qint64>(1, r.optionalInteger(u"from_seq"_s, 0, maxI64).value_or(1));
    return t;
}

void read(JsonReader &r, ForwarderHello &m)
{
    m.forwarderId = r.string(u"forwarder_id"_s);
    m.readerIps = r.stringList(u"reader_ips"_s);
    m.displayName = r.optionalString(u"display_name"_s);
}

void read(JsonReader &r, ForwarderEventBatch &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.batchId = r.string(u"batch_id"_s);
    m.events = r.list<ReadEvent>(u"events"_s, readEvent);
}

void read(JsonReader &r, ForwarderAck &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.entries = r.list<AckEntry>(u"entries"_s, ackEntry);
}

void read(JsonReader &r, Heartbeat &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.deviceId = r.string(u"device_id"_s);
}

void read(JsonReader &r, ErrorMessage &m)
{
    const QString code = r.string(u"code"_s);
    if (const auto known = errorCodeFromName(code))
        m.code = *known;
    else if (r.ok())
        r.fail(r.path(u"code"_s), u"unknown error code \"%1\""_s.arg(code));
    m.message = r.string(u"message"_s);
    m.retryable = r.boolean(u"retryable"_s);
}

void read(JsonReader &r, EpochResetCommand &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.forwarderId = r.string(u"forwarder_id"_s);
    m.readerIp = r.string(u"reader_ip"_s);
    m.newStreamEpoch = r.integer(u"new_stream_epoch"_s, 2);
}

void read(JsonReader &r, ReaderStatusUpdate &m)
{
    m.readerIp = r.string(u"reader_ip"_s);
    m.connected = r.boolean(u"connected"_s);
}

void read(JsonReader &r, ConfigGetRequest &m)
{
    m.requestId = r.string(u"request_id"_s);
}

void read(JsonReader &r, ConfigGetResponse &m)
{
    m.requestId = r.string(u"request_id"_s);
    m.ok = r.boolean(u"ok"_s);
    m.error = r.optionalString(u"error"_s);
    m.config = r.value(u"config"_s);
    m.restartNeeded = r.boolean(u"restart_needed"_s);
}

void read(JsonReader &r, ConfigSetRequest &m)
{
    m.requestId = r.string(u"request_id"_s);
    m.section = r.string(u"section"_s);
    m.payload = r.value(u"payload"_s);
}

void read(JsonReader &r, ConfigSetResponse &m)
{
    m.requestId = r.string(u"request_id"_s);
    m.ok = r.boolean(u"ok"_s);
    m.error = r.optionalString(u"error"_s);
    m.restartNeeded = r.boolean(u"restart_needed"_s);
    if (const auto status = r.optionalInteger(u"status_code"_s, 0, 65535))
        m.statusCode = int(*status);
}

void read(JsonReader &r, RestartRequest &m)
{
    m.requestId = r.string(u"request_id"_s);
}

void read(JsonReader &r, RestartResponse &m)
{
    m.requestId = r.string(u"request_id"_s);
    m.ok = r.boolean(u"ok"_s);
    m.error = r.optionalString(u"error"_s);
}

ReceiverMode receiverMode(JsonReader &r)
{
    const QString mode = r.string(u"mode"_s);
    if (mode == LiveMode::mode) {
        return LiveMode{r.list<StreamRef>(u"streams"_s, streamRef),
                        r.list<EarliestEpochOverride>(u"earliest_epochs"_s, earliestEpoch, true)};
    }
    if (mode == RaceMode::mode)
        return RaceMode{r.string(u"race_id"_s)};
    if (mode == TargetedReplayMode::mode)
        return TargetedReplayMode{r.list<ReplayTarget>(u"targets"_s, replayTarget)};
    r.fail(r.path(u"mode"_s), u"unknown mode \"%1\"; expected live, race or targeted_replay"_s.arg(mode));
    return {};
}

void read(JsonReader &r, ReceiverHelloV12 &m)
{
    m.receiverId = r.string(u"receiver_id"_s);
    JsonReader modeReader = r.object(u"mode"_s);
    m.mode = receiverMode(modeReader);
    m.resume = r.list<ResumeCursor>(u"resume"_s, ackEntry, true);
}

void read(JsonReader &r, ReceiverModeApplied &m)
{
    m.modeSummary = r.string(u"mode_summary"_s);
    m.resolvedStreamCount = r.integer(u"resolved_stream_count"_s, 0);
    m.warnings = r.stringList(u"warnings"_s);
}

void read(JsonReader &r, ReceiverEventBatch &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.events = r.list<ReadEvent>(u"events"_s, readEvent);
}

void read(JsonReader &r, ReceiverAck &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.entries = r.list<AckEntry>(u"entries"_s, ackEntry);
}

void read(JsonReader &r, ReaderStatusChanged &m)
{
    m.streamId = r.string(u"stream_id"_s);
    m.readerIp = r.string(u"reader_ip"_s);
    m.connected = r.boolean(u"connected"_s);
}

void read(JsonReader &r, ReceiverHello &m)
{
    m.receiverId = r.string(u"receiver_id"_s);
    m.resume = r.list<ResumeCursor>(u"resume"_s, ackEntry, true);
}

void read(JsonReader &r, ReceiverSubscribe &m)
{
    m.sessionId = r.string(u"session_id"_s);
    m.streams = r.list<StreamRef>(u"streams"_s, streamRef);
}

void read(JsonReader &r, ReceiverStreamMetrics &m)
{
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    m.forwarderId = r.string(u"forwarder_id"_s);
    m.readerIp = r.string(u"reader_ip"_s);
    m.rawCount = r.integer(u"raw_count"_s, 0);
    m.dedupCount = r.integer(u"dedup_count"_s, 0);
    m.retransmitCount = r.integer(u"retransmit_count"_s, 0);
    m.lagMs = r.optionalInteger(u"lag_ms"_s, 0, max);
    m.epochRawCount = r.integer(u"epoch_raw_count"_s, 0);
    m.epochDedupCount = r.integer(u"epoch_dedup_count"_s, 0);
    m.epochRetransmitCount = r.integer(u"epoch_retransmit_count"_s, 0);
    m.epochLagMs = r.optionalInteger(u"epoch_lag_ms"_s, 0, max);
    m.epochLastReceivedAt = r.optionalString(u"epoch_last_received_at"_s);
    m.uniqueChips = r.integer(u"unique_chips"_s, 0);
}

// Tries each alternative of Message in turn; false when no alternative has this kind.
template<std::size_t I = 0>
bool readKind(const QString &kind, JsonReader &reader, Message *out)
{
    if constexpr (I == std::variant_size_v<Message>) {
        return false;
    } else {
        using Alternative = std::variant_alternative_t<I, Message>;
        if (kind != Alternative::kind)
            return readKind<I + 1>(kind, reader, out);
        Alternative message;
        read(reader, message);
        *out = std::move(message);
        return true;
    }
}

ParseError invalidJson(const QString &reason)
{
    ParseError error;
    error.reason = reason;
    return error;
}

} // namespace

ParseResult parseMessage(QByteArrayView text)
{
    if (text.size() > ProtocolLimits::MaxMessageBytes)
        return invalidJson(u"message larger than %1 bytes"_s.arg(ProtocolLimits::MaxMessageBytes));
    QJsonParseError jsonError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &jsonError);
    if (jsonError.error != QJsonParseError::NoError)
        return invalidJson(u"invalid JSON at offset %1: %2"_s.arg(jsonError.offset).arg(jsonError.errorString()));
    if (!document.isObject())
        return invalidJson(u"expected a JSON object"_s);

    ParseError error;
    JsonReader reader(document.object(), QString(), &error);
    const QString kind = reader.string(u"kind"_s);
    if (!reader.ok())
        return error;
    error.messageKind = kind;
    Message message;
    if (!readKind(kind, reader, &message)) {
        error.kind = ParseError::Kind::UnknownKind;
        error.field = u"kind"_s;
        error.reason = u"unknown message kind \"%1\""_s.arg(kind);
        return error;
    }
    if (!reader.ok())
        return error;
    return message;
}

} // namespace Pitwall
