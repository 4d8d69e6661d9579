#pragma once

#include "core/http/httpresponder.h"
#include "vod/chatexportwriter.h"

#include <QObject>

namespace Pitwall {

class ChatStore;

// One streamed chat export (GET /vods/{id}/chat/export): a page of rows at a time, each page
// its own event so the other streams on the thread keep their timing. A failure before the
// first byte is an ordinary error response; a later one cuts the transfer off, so a client never
// mistakes a truncated export for a complete one. Deletes itself when done.
class ChatExportJob final : public QObject
{
    Q_OBJECT

public:
    ChatExportJob(const ChatStore &store, const QString &vodId, ChatExportWriter::Format format,
                  int pageSize, HttpResponder responder, QObject *parent);
    Q_DISABLE_COPY_MOVE(ChatExportJob)

    void start();
    // Shutdown: cuts an unfinished export off.
    void abort();

private:
    void nextPage();
    QByteArray disposition() const;

    const ChatStore &m_store;
    const QString m_vodId;
    const int m_pageSize;
    ChatExportWriter m_writer;
    const ChatExportWriter::Format m_format;
    HttpResponder m_responder;
    std::optional<ChatCursor> m_cursor;
    bool m_started = false;
};

} // namespace Pitwall
