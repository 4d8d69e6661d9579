#pragma once

#include "relay/storeerror.h"
#include "relay/streameventsink.h"

#include <QString>

namespace Pitwall {

class CursorStore;
class EventStore;
class Router;
class StreamStore;

// The relay's REST API for streams (research §3), errors as the {"code","message"} envelope:
//   GET   /api/v1/streams                               -> {"streams":[StreamInfo...]}
//   PATCH /api/v1/streams/{stream_id}                   {"display_alias"} -> {"display_alias"}
//   GET   /api/v1/streams/{stream_id}/metrics           -> metrics object
//   GET   /api/v1/streams/{stream_id}/epochs            -> [EpochInfo...]
//   PUT   /api/v1/streams/{stream_id}/epochs/{epoch}/name {"name": string|null}
// plus the exports (exportroutes.h) and the admin receiver-cursor routes (cursorroutes.h).
// A stream id that is not a UUID is 404 like an unknown one; 503 while the database cannot be
// reached. These handlers run on the HTTP thread with tiny statements; exports run elsewhere.
// `notify` (may be empty) hears {"type":"stream_updated",...} after a rename. The stores must
// outlive the router.
void registerStreamRoutes(Router &router, const StreamStore &streams, const EventStore &events,
                          const CursorStore &cursors, StreamEventSink notify);

// What PATCH /api/v1/streams/{stream_id} does, shared with the desktop console: renames the
// stream and tells `notify` (may be empty) {"type":"stream_updated","stream_id","display_alias"}.
bool renameStream(const StreamStore &streams, const StreamEventSink &notify,
                  const QString &streamId, const QString &alias, StoreError *error);

} // namespace Pitwall
