// libFuzzer target for the relay WebSocket message parser: every text frame a forwarder or
// receiver sends goes through it. Besides crashes and sanitizer reports, it aborts when a parse
// result breaks the parser's contract.
#include "relay/protocol/protocollimits.h"
#include "relay/protocol/relaymessage.h"

#include <cstdint>
#include <cstdlib>

using namespace Pitwall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const ParseResult result = parseMessage(input);
    if (const auto *error = std::get_if<ParseError>(&result)) {
        // Every refusal says why and answers with the protocol's error code.
        if (error->reason.isEmpty() || error->code != ErrorCode::ProtocolError
            || (error->kind != ParseError::Kind::InvalidJson && error->field.isEmpty()))
            std::abort();
        return 0;
    }
    // Accepted means within the caps...
    const Message &message = std::get<Message>(result);
    if (size > size_t(ProtocolLimits::MaxMessageBytes))
        std::abort();
    // ...and stable: what the server would send for it parses back to the same message.
    const ParseResult again = parseMessage(serialize(message));
    if (!std::holds_alternative<Message>(again) || !(std::get<Message>(again) == message))
        std::abort();
    return 0;
}
