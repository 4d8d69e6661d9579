#pragma once

namespace Pitwall {

class EventStore;
class Router;
class StreamStore;

// The stream exports, byte-identical to the existing relay server's (ExportWriter):
//   GET /api/v1/streams/{stream_id}/export.txt|export.csv                  all epochs
//   GET /api/v1/streams/{stream_id}/epochs/{epoch}/export.txt|export.csv   one epoch
// Each export pages through the events on a thread of its own (ExportRunner, owned by the
// routes) and streams the bytes out chunk by chunk, with Content-Disposition
// `attachment; filename="<forwarder>_<reader ip>[_epoch<N>].<ext>"`. Errors before the first
// byte are the usual envelope (404 "stream not found", 503, 500); a database failure later cuts
// the transfer off, so a client never mistakes a truncated export for a complete one.
// The stores must outlive the router.
void registerExportRoutes(Router &router, const StreamStore &streams, const EventStore &events);

} // namespace Pitwall
