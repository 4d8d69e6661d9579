// libFuzzer target for the IRC line parser, which reads every line the chat server (or anyone
// on the path to it) sends. Besides crashes and sanitizer reports, it aborts when an accepted
// line does not survive serialize/parse unchanged, or a PRIVMSG breaks the chat message's
// invariants.
#include "vod/chatmessage.h"
#include "vod/ircmessage.h"

#include <cstdint>
#include <cstdlib>

using namespace Pitwall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto message = IrcMessage::parse(input);
    if (!message)
        return 0;
    if (message->command.isEmpty() || IrcMessage::parse(message->serialize()) != message)
        std::abort();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const auto chat = ChatMessage::fromPrivmsg(*message, now)) {
        // Every emote name is a piece of the text.
        for (const QString &emote : chat->emotes) {
            if (emote.isEmpty() || !chat->text.contains(emote))
                std::abort();
        }
        if (!chat->sentAt.isValid())
            std::abort();
    }
    return 0;
}
