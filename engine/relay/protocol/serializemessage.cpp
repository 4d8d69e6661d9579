#include "relay/protocol/relaymessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Field order follows the schema; JSON readers do not care, people reading logs do.

QJsonValue optionalString(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

template<typename Item, typename Write>
QJsonArray array(const QList<Item> &items, Write write)
{
    QJsonArray array;
    for (const Item &item : items)
        array.append(write(item));
    return array;
}

QJsonObject streamFields(const QString &forwarderId, const QString &readerIp)
{
    return {{u"forwarder_id"_s, forwarderId}, {u"reader_ip"_s, readerIp}};
}

QJsonObject ackEntry(const AckEntry &e)
{
    QJsonObject o = streamFields(e.forwarderId, e.readerIp);
    o.insert(u"stream_epoch"_s, e.streamEpoch);
    o.insert(u"last_seq"_s, e.lastSeq);
    return o;
}

QJsonObject streamRef(const StreamRef &s)
{
    return streamFields(s.forwarderId, s.readerIp);
}

QJsonObject earliestEpoch(const EarliestEpochOverride &e)
{
    QJsonObject o = streamFields(e.forwarderId, e.readerIp);
    o.insert(u"earliest_epoch"_s, e.earliestEpoch);
    return o;
}

QJsonObject replayTarget(const ReplayTarget &t)
{
    QJsonObject o = streamFields(t.forwarderId, t.readerIp);
    o.insert(u"stream_epoch"_s, t.streamEpoch);
    o.insert(u"from_seq"_s, t.fromSeq);
    return o;
}

void write(QJsonObject &o, const ForwarderHello &m)
{
    o.insert(u"forwarder_id"_s, m.forwarderId);
    o.insert(u"reader_ips"_s, QJsonArray::fromStringList(m.readerIps));
    if (m.displayName)
        o.insert(u"display_name"_s, *m.displayName);
}

void write(QJsonObject &o, const ForwarderAck &m)
{
    o.insert(u"session_id"_s, m.sessionId);
    o.insert(u"entries"_s, array(m.entries, ackEntry));
}

void write(QJsonObject &o, const Heartbeat &m)
{
    o.insert(u"session_id"_s, m.sessionId);
    o.insert(u"device_id"_s, m.deviceId);
}

void write(QJsonObject &o, const ErrorMessage &m)
{
    o.insert(u"code"_s, errorCodeName(m.code));
    o.insert(u"message"_s, m.message);
    o.insert(u"retryable"_s, m.retryable);
}

void write(QJsonObject &o, const EpochResetCommand &m)
{
    o.insert(u"session_id"_s, m.sessionId);
    o.insert(u"forwarder_id"_s, m.forwarderId);
    o.insert(u"reader_ip"_s, m.readerIp);
    o.insert(u"new_stream_epoch"_s, m.newStreamEpoch);
}

void write(QJsonObject &o, const ReaderStatusUpdate &m)
{
    o.insert(u"reader_ip"_s, m.readerIp);
    o.insert(u"connected"_s, m.connected);
}

void write(QJsonObject &o, const ConfigGetRequest &m)
{
    o.insert(u"request_id"_s, m.requestId);
}

void write(QJsonObject &o, const ConfigGetResponse &m)
{
    o.insert(u"request_id"_s, m.requestId);
    o.insert(u"ok"_s, m.ok);
    o.insert(u"error"_s, optionalString(m.error));
    o.insert(u"config"_s, m.config);
    o.insert(u"restart_needed"_s, m.restartNeeded);
}

void write(QJsonObject &o, const ConfigSetRequest &m)
{
    o.insert(u"request_id"_s, m.requestId);
    o.insert(u"section"_s, m.section);
    o.insert(u"payload"_s, m.payload);
}

void write(QJsonObject &o, const ConfigSetResponse &m)
{
    o.insert(u"request_id"_s, m.requestId);
    o.insert(u"ok"_s, m.ok);
    o.insert(u"error"_s, optionalString(m.error));
    o.insert(u"restart_needed"_s, m.restartNeeded);
    o.insert(u"status_code"_s, m.statusCode ? QJsonValue(*m.statusCode) : QJsonValue());
}

void write(QJsonObject &o, const RestartRequest &m)
{
    o.insert(u"request_id"_s, m.requestId);
}

void write(QJsonObject &o, const RestartResponse &m)
{
    o.insert(u"request_id"_s, m.requestId);
    o.insert(u"ok"_s, m.ok);
    o.insert(u"error"_s, optionalString(m.error));
}

QJsonObject receiverMode(const LiveMode &m)
{
    QJsonObject o{{u"mode"_s, LiveMode::mode}, {u"streams"_s, array(m.streams, streamRef)}};
    if (!m.earliestEpochs.isEmpty())
        o.insert(u"earliest_epochs"_s, array(m.earliestEpochs, earliestEpoch));
    return o;
}

QJsonObject receiverMode(const RaceMode &m)
{
    return {{u"mode"_s, RaceMode::mode}, {u"race_id"_s, m.raceId}};
}

QJsonObject receiverMode(const TargetedReplayMode &m)
{
    return {{u"mode"_s, TargetedReplayMode::mode}, {u"targets"_s, array(m.targets, replayTarget)}};
}

void write(QJsonObject &o, const ReceiverHelloV12 &m)
{
    o.insert(u"receiver_id"_s, m.receiverId);
    o.insert(u"mode"_s, std::visit([](const auto &mode) { return receiverMode(mode); }, m.mode));
    o.insert(u"resume"_s, array(m.resume, ackEntry));
}

void write(QJsonObject &o, const ReceiverModeApplied &m)
{
    o.insert(u"mode_summary"_s, m.modeSummary);
    o.insert(u"resolved_stream_count"_s, m.resolvedStreamCount);
    o.insert(u"warnings"_s, QJsonArray::fromStringList(m.warnings));
}

void write(QJsonObject &o, const ReceiverAck &m)
{
    o.insert(u"session_id"_s, m.sessionId);
    o.insert(u"entries"_s, array(m.entries, ackEntry));
}

void write(QJsonObject &o, const ReaderStatusChanged &m)
{
    o.insert(u"stream_id"_s, m.streamId);
    o.insert(u"reader_ip"_s, m.readerIp);
    o.insert(u"connected"_s, m.connected);
}

void write(QJsonObject &o, const ReceiverHello &m)
{
    o.insert(u"receiver_id"_s, m.receiverId);
    o.insert(u"resume"_s, array(m.resume, ackEntry));
}

void write(QJsonObject &o, const ReceiverSubscribe &m)
{
    o.insert(u"session_id"_s, m.sessionId);
    o.insert(u"streams"_s, array(m.streams, streamRef));
}

QJsonValue optionalInteger(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

void write(QJsonObject &o, const ReceiverStreamMetrics &m)
{
    o.insert(u"forwarder_id"_s, m.forwarderId);
    o.insert(u"reader_ip"_s, m.readerIp);
    o.insert(u"raw_count"_s, m.rawCount);
    o.insert(u"dedup_count"_s, m.dedupCount);
    o.insert(u"retransmit_count"_s, m.retransmitCount);
    o.insert(u"lag_ms"_s, optionalInteger(m.lagMs));
    o.insert(u"epoch_raw_count"_s, m.epochRawCount);
    o.insert(u"epoch_dedup_count"_s, m.epochDedupCount);
    o.insert(u"epoch_retransmit_count"_s, m.epochRetransmitCount);
    o.insert(u"epoch_lag_ms"_s, optionalInteger(m.epochLagMs));
    o.insert(u"epoch_last_received_at"_s, optionalString(m.epochLastReceivedAt));
    o.insert(u"unique_chips"_s, m.uniqueChips);
}

template<typename M>
QByteArray text(const M &m)
{
    QJsonObject object{{u"kind"_s, M::kind}};
    write(object, m);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Event batches are nearly all of the traffic (a 500-event replay batch holds some 20 000
// raw_frame numbers), and building them as QJsonObjects cost more than the rest of a replay:
// they are written as text directly, byte for byte what text() would write (QJsonObject's
// sorted keys, compact).

void appendString(QByteArray &out, const QString &value)
{
    const bool plain = std::all_of(value.cbegin(), value.cend(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\';
    });
    if (plain) {
        out += '"';
        out += value.toLatin1();
        out += '"';
        return;
    }
    // Escapes and UTF-8 exactly as Qt writes them.
    const QByteArray quoted = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    out += QByteArrayView(quoted).sliced(1, quoted.size() - 2);
}

void appendEvent(QByteArray &out, const ReadEvent &e)
{
    out += "{\"forwarder_id\":";
    appendString(out, e.forwarderId);
    out += ",\"raw_frame\":[";
    // Written in place: at most "255," per byte.
    const qsizetype start = out.size();
    out.resize(start + e.rawFrame.size() * 4);
    char *cursor = out.data() + start;
    for (qsizetype i = 0; i < e.rawFrame.size(); ++i) {
        if (i > 0)
            *cursor++ = ',';
        const int byte = static_cast<unsigned char>(e.rawFrame.at(i));
        if (byte >= 100)
            *cursor++ = char('0' + byte / 100);
        if (byte >= 10)
            *cursor++ = char('0' + byte / 10 % 10);
        *cursor++ = char('0' + byte % 10);
    }
    out.resize(cursor - out.constData());
    out += "],\"read_type\":";
    appendString(out, e.readType);
    out += ",\"reader_ip\":";
    appendString(out, e.readerIp);
    out += ",\"reader_timestamp\":";
    appendString(out, e.readerTimestamp);
    out += ",\"seq\":" + QByteArray::number(e.seq);
    out += ",\"stream_epoch\":" + QByteArray::number(e.streamEpoch) + '}';
}

// {["batch_id":…,]"events":[…],"kind":…,"session_id":…}
QByteArray batchText(QLatin1StringView kind, const QString *batchId, const QString &sessionId,
                     const QByteArray &events)
{
    QByteArray out;
    out.reserve(128 + events.size());
    out += '{';
    if (batchId) {
        out += "\"batch_id\":";
        appendString(out, *batchId);
        out += ',';
    }
    out += "\"events\":" + events + ",\"kind\":\"" + QByteArray(kind.data(), kind.size())
            + "\",\"session_id\":";
    appendString(out, sessionId);
    out += '}';
    return out;
}

QByteArray text(const ForwarderEventBatch &m)
{
    return batchText(ForwarderEventBatch::kind, &m.batchId, m.sessionId, eventsArray(m.events));
}

QByteArray text(const ReceiverEventBatch &m)
{
    return receiverEventBatch(eventsArray(m.events), m.sessionId);
}

} // namespace

QByteArray eventsArray(const QList<ReadEvent> &events)
{
    QByteArray out;
    out.reserve(2 + events.size() * 256);
    out += '[';
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (i > 0)
            out += ',';
        appendEvent(out, events.at(i));
    }
    out += ']';
    return out;
}

QByteArray receiverEventBatch(const QByteArray &eventsArray, const QString &sessionId)
{
    return batchText(ReceiverEventBatch::kind, nullptr, sessionId, eventsArray);
}

QLatin1StringView messageKind(const Message &message)
{
    return std::visit([](const auto &m) { return std::decay_t<decltype(m)>::kind; }, message);
}

QByteArray serialize(const Message &message)
{
    return std::visit([](const auto &m) { return text(m); }, message);
}

} // namespace Pitwall
