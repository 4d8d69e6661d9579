#pragma once

#include "core/http/httpresponder.h"
#include "relay/storeerror.h"
#include "vod/chatreplayrequest.h"
#include "vod/storedchatmessage.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace Pitwall {

class ChatStore;

// One Server-Sent Events replay of a VOD's chat: each message is sent (rel - from) / speed
// seconds after the stream began, as `id: <row id>` and `data: <json>`, with a comment line
// every heartbeat interval so proxies keep the connection. Once every stored message is out it
// keeps following the VOD (a live session's chat grows while it is recorded) until the client
// goes. No request timeout applies: the HTTP server's timers only cover receiving a request.
// Lives on the chat streams' thread and deletes itself when done.
class ChatReplay final : public QObject
{
    Q_OBJECT

public:
    ChatReplay(const ChatStore &store, ChatReplayRequest request, ChatStreamOptions options,
               HttpResponder responder, QObject *parent);
    ~ChatReplay() override;
    Q_DISABLE_COPY_MOVE(ChatReplay)

    // Loads the first page and begins the stream, or answers with the error and deletes itself.
    void start();
    // Ends the stream (shutdown) and deletes itself.
    void finish();

private:
    // The next page after the last row queued; false when the store failed.
    bool loadPage(StoreError *error);
    void sendDue();
    void write(const QByteArray &bytes);

    const ChatStore &m_store;
    const ChatReplayRequest m_request;
    const ChatStreamOptions m_options;
    HttpResponder m_responder;
    QList<StoredChatMessage> m_queue;
    std::optional<ChatCursor> m_cursor;
    double m_base = 0; // rel_timestamp at the stream's start
    QElapsedTimer m_clock;
    QTimer m_sendTimer;
    QTimer m_heartbeat;
};

} // namespace Pitwall
