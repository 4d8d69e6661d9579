#pragma once

#include "core/http/httpresponder.h"
#include "vod/chatexportwriter.h"
#include "vod/chatreplayrequest.h"
#include "vod/chatstore.h"

#include <QThread>

#include <memory>

namespace Pitwall {

class Database;

// The thread the chat's long responses run on: SSE replays and exports, each an object of its
// own driven by timers and queued pages, so none blocks the HTTP thread or another stream.
// closeAll() (and the destructor) end the replays cleanly and cut unfinished exports off; call
// it before the HTTP server waits for its connections to go idle.
class ChatStreams final
{
public:
    explicit ChatStreams(const Database &database, ChatStreamOptions options = {});
    ~ChatStreams();
    Q_DISABLE_COPY_MOVE(ChatStreams)

    void replay(ChatReplayRequest request, HttpResponder responder);
    void exportChat(const QString &vodId, ChatExportWriter::Format format,
                    HttpResponder responder);
    // Ends every open stream; returns once they are ended.
    void closeAll();

private:
    // Runs `job` with the responder on the streams' thread. The responder travels in a shared
    // holder because std::function copies; it is moved out there, so it is released on that
    // thread after the writes it queued.
    void post(HttpResponder responder, std::function<void(HttpResponder)> job);

    const ChatStore m_store;
    const ChatStreamOptions m_options;
    QThread m_thread;
    std::unique_ptr<QObject> m_context; // on m_thread; the streams are its children
};

} // namespace Pitwall
