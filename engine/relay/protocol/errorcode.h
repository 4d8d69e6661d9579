#pragma once

#include <QString>

#include <optional>

namespace Pitwall {

// The frozen error codes of the relay protocol (research §1.9). Old clients branch on these
// exact strings, so no code is ever added, renamed or removed.
enum class ErrorCode {
    InvalidToken,
    SessionExpired,
    ProtocolError,
    IdentityMismatch,
    IntegrityConflict,
    InternalError,
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);
// Whether a client may reconnect and try again; fixed per code by the protocol.
bool isRetryable(ErrorCode code);

} // namespace Pitwall
