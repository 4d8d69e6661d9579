#pragma once

#include "relay/protocol/forwardermessages.h"
#include "relay/protocol/parseerror.h"
#include "relay/protocol/receivermessages.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>

#include <variant>

namespace Pitwall {

// Every message kind of the relay WebSocket protocol this server reads or writes.
using Message = std::variant<ForwarderHello, ForwarderEventBatch, ForwarderAck, Heartbeat,
                             ErrorMessage, EpochResetCommand, ReaderStatusUpdate, ConfigGetRequest,
                             ConfigGetResponse, ConfigSetRequest, ConfigSetResponse, RestartRequest,
                             RestartResponse, ReceiverHelloV12, ReceiverModeApplied,
                             ReceiverEventBatch, ReceiverAck, ReaderStatusChanged, ReceiverHello,
                             ReceiverSubscribe, ReceiverStreamMetrics>;

using ParseResult = std::variant<Message, ParseError>;

// Parses one text frame strictly: a JSON object with a known `kind` whose required fields are
// present with the right types and ranges (see parsemessage.cpp for the rules, protocollimits.h
// for the caps). Unknown extra fields are ignored, as the reference server does.
ParseResult parseMessage(QByteArrayView text);

// Compact JSON with the wire field names; parseMessage(serialize(m)) == m.
QByteArray serialize(const Message &message);

// A receiver_event_batch in two steps, for live fan-out: the events array is serialized once
// and wrapped per receiver with its session id. receiverEventBatch(eventsArray(e), s) is
// byte for byte serialize(ReceiverEventBatch{s, e}).
QByteArray eventsArray(const QList<ReadEvent> &events);
QByteArray receiverEventBatch(const QByteArray &eventsArray, const QString &sessionId);

// The wire `kind` of a message ("forwarder_hello").
QLatin1StringView messageKind(const Message &message);

} // namespace Pitwall
