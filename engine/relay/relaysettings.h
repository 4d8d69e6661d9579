#pragma once

#include <QtGlobal>

#include <chrono>

namespace Pitwall {

// Timing and bounds of relay sessions (research §4 for the reference's values).
struct RelaySettings
{
    // WebSocket ping and protocol heartbeat, both directions answered by any client.
    std::chrono::milliseconds pingInterval = std::chrono::seconds(30);
    // A session that sends nothing (no frame, no pong) for this long is closed.
    std::chrono::milliseconds idleTimeout = std::chrono::seconds(90);
    // Time a client has from the upgrade to its hello.
    std::chrono::milliseconds helloTimeout = std::chrono::seconds(90);
    // A receiver whose unsent bytes pass this is closed; it resumes from its cursor.
    qint64 maxSendQueueBytes = 16 * 1024 * 1024;
    // Frames a session may have received but not processed yet (forwarders pipelining batches).
    qint64 maxPendingBytes = 64 * 1024 * 1024;
    // Events per replay batch, as the reference (REPLAY_BATCH_LIMIT).
    int replayBatch = 500;
    // Dashboard and receiver metrics are pushed at most this often per stream.
    std::chrono::milliseconds metricsDebounce = std::chrono::milliseconds(500);
    // A receiver's acks move its persisted cursors at most this often (the last ones also on
    // close). Live receivers ack every batch; writing each ack was most of the database's work
    // with ten of them, and a cursor a moment behind only means a few duplicates on resume.
    std::chrono::milliseconds cursorFlushInterval = std::chrono::milliseconds(200);
    // Threads that run database work (ingest, replay reads, cursor writes).
    int storageThreads = 4;
};

} // namespace Pitwall
