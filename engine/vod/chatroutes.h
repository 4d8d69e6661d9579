#pragma once

namespace Pitwall {

class ChatStore;
class ChatStreams;
class Router;

// A VOD's recorded chat over HTTP (research §3, without its defects):
//   GET /vods/{id}/chat?from=&to=&limit=   JSON array ordered by rel_timestamp; from/to in
//       seconds (to only when > 0), limit 1..5000 (otherwise 1000)
//   GET /vods/{id}/chat/stream?from=&speed=   SSE replay (ChatReplay); speed in (0, 100]
//       (otherwise 1), from >= 0; Last-Event-ID resumes after that message
//   GET /vods/{id}/chat/export?format=json|csv|txt   streamed download (ChatExportJob)
// {id} is a Twitch VOD id or a live session's placeholder. A parameter that is not a number is
// 400; 503 while the database cannot be reached. The store and the streams must outlive the
// router.
void registerChatRoutes(Router &router, const ChatStore &store, ChatStreams &streams);

} // namespace Pitwall
