#include "relay/protocol/errorcode.h"

#include <array>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct CodeInfo
{
    ErrorCode code;
    QLatin1StringView name;
    bool retryable;
};

constexpr std::array<CodeInfo, 6> codes{{
    {ErrorCode::InvalidToken, "INVALID_TOKEN"_L1, false},
    {ErrorCode::SessionExpired, "SESSION_EXPIRED"_L1, true},
    {ErrorCode::ProtocolError, "PROTOCOL_ERROR"_L1, false},
    {ErrorCode::IdentityMismatch, "IDENTITY_MISMATCH"_L1, false},
    {ErrorCode::IntegrityConflict, "INTEGRITY_CONFLICT"_L1, false},
    {ErrorCode::InternalError, "INTERNAL_ERROR"_L1, true},
}};

const CodeInfo &info(ErrorCode code)
{
    return codes[static_cast<std::size_t>(code)];
}

} // namespace

QString errorCodeName(ErrorCode code)
{
    return info(code).name;
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    for (const CodeInfo &entry : codes) {
        if (entry.name == name)
            return entry.code;
    }
    return std::nullopt;
}

bool isRetryable(ErrorCode code)
{
    return info(code).retryable;
}

} // namespace Pitwall
