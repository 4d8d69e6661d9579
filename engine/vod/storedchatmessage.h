#pragma once

#include "vod/chatmessage.h"

#include <QString>

namespace Pitwall {

// A row of chat_messages: the message, the VOD (or live session placeholder) it belongs to and
// its offset from that VOD's start in seconds.
struct StoredChatMessage
{
    qint64 id = 0; // 0 until stored
    QString vodId;
    double relTimestamp = 0;
    ChatMessage message;
};

// Where a page of a VOD's chat ends, to continue after it: rows are ordered by
// (rel_timestamp, id).
struct ChatCursor
{
    double relTimestamp = 0;
    qint64 id = 0;
};

// A slice of one VOD's chat: rel_timestamp in [from, to], at most limit rows after `after`.
struct ChatQuery
{
    std::optional<double> from;
    std::optional<double> to;
    int limit = 1000;
    std::optional<ChatCursor> after;
};

} // namespace Pitwall
