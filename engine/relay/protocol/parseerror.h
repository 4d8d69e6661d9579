#pragma once

#include "relay/protocol/errorcode.h"

#include <QString>

namespace Pitwall {

// Why a text frame was refused. `code` is what the server answers with in its `error` frame
// (always PROTOCOL_ERROR: research §1.9 has no code for malformed input and the reference sends
// PROTOCOL_ERROR "invalid JSON in message"); `field` is the JSON path of the offending value
// ("events[3].raw_frame[7]", empty when the frame is not a JSON object at all).
struct ParseError
{
    enum class Kind {
        InvalidJson, // not a JSON object, or larger than ProtocolLimits::MaxMessageBytes
        UnknownKind, // a JSON object whose `kind` this server does not implement
        InvalidField, // a known kind with a missing, mistyped or out-of-range field
    };

    Kind kind = Kind::InvalidJson;
    ErrorCode code = ErrorCode::ProtocolError;
    QString field;
    QString reason;
    // The frame's `kind` when it is a string, so a session can say "expected forwarder_hello"
    // even for a broken frame; empty otherwise.
    QString messageKind;

    // "events[0].seq: expected a non-negative integer"
    QString toString() const;
};

} // namespace Pitwall
