#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

// GET /vods/{id}/chat/stream: where the replay starts and how fast it runs.
struct ChatReplayRequest
{
    QString vodId;
    double from = 0;  // seconds into the VOD
    double speed = 1; // in (0, 100]
    // Last-Event-ID of a client that lost its stream: continue after that message.
    std::optional<qint64> lastEventId;
};

// Timings of the chat streams (replays follow their VOD for new messages once caught up).
struct ChatStreamOptions
{
    std::chrono::milliseconds heartbeatInterval = std::chrono::seconds(15);
    std::chrono::milliseconds followInterval = std::chrono::seconds(2);
    int pageSize = 500;
};

} // namespace Pitwall
