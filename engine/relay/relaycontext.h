#pragma once

#include "relay/relaysettings.h"

namespace Pitwall {

class CursorStore;
class EventBroadcaster;
class EventStore;
class MetricsRefresher;
class PeerNotifier;
class SessionRegistry;
class StorageWorkers;
class StreamHub;
class StreamStore;
class TokenStore;
struct RelayMetrics;

// What every relay session works with; owned by the RelayEngine, all on the relay thread
// except the stores (thread-safe, used from the storage workers).
struct RelayContext
{
    const RelaySettings settings;
    TokenStore &tokens;
    const EventStore &events;
    const StreamStore &streams;
    const CursorStore &cursors;
    StorageWorkers &workers;
    StreamHub &hub;
    SessionRegistry &registry;
    EventBroadcaster &broadcaster;
    MetricsRefresher &refresher;
    const PeerNotifier &peers;
    RelayMetrics &metrics;
};

} // namespace Pitwall
