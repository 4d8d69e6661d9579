#include "vod/chatreplay.h"

#include "core/log/logcategories.h"
#include "relay/storeerrorresponse.h"
#include "vod/chatexportwriter.h"
#include "vod/chatstore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Pitwall {

ChatReplay::ChatReplay(const ChatStore &store, ChatReplayRequest request,
                       ChatStreamOptions options, HttpResponder responder, QObject *parent)
    : QObject(parent), m_store(store), m_request(std::move(request)), m_options(options),
      m_responder(std::move(responder)), m_base(m_request.from)
{
    m_sendTimer.setSingleShot(true);
    connect(&m_sendTimer, &QTimer::timeout, this, &ChatReplay::sendDue);
    m_heartbeat.setInterval(m_options.heartbeatInterval);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] { write(": heartbeat\n\n"); });
}

ChatReplay::~ChatReplay()
{
    if (m_responder.isValid())
        m_responder.finish();
}

void ChatReplay::start()
{
    StoreError error;
    if (m_request.lastEventId) {
        // Resume right after the last message the client saw, at its place in the VOD.
        if (const std::optional<StoredChatMessage> last =
                    m_store.message(m_request.vodId, *m_request.lastEventId, &error)) {
            m_cursor = ChatCursor{last->relTimestamp, last->id};
            m_base = last->relTimestamp;
        } else if (error.kind != StoreError::Kind::NotFound) {
            m_responder.send(storeErrorResponse(error));
            deleteLater();
            return;
        }
    }
    if (!loadPage(&error)) {
        m_responder.send(storeErrorResponse(error));
        deleteLater();
        return;
    }
    m_responder.beginStream(200, {{"Content-Type", "text/event-stream"},
                                  {"Cache-Control", "no-cache"},
                                  {"X-Accel-Buffering", "no"}});
    write(": connected\n\n");
    m_clock.start();
    m_heartbeat.start();
    sendDue();
}

void ChatReplay::finish()
{
    m_sendTimer.stop();
    m_heartbeat.stop();
    if (m_responder.isValid())
        m_responder.finish();
    deleteLater();
}

bool ChatReplay::loadPage(StoreError *error)
{
    ChatQuery query;
    query.from = m_request.from;
    query.limit = m_options.pageSize;
    query.after = m_cursor;
    std::optional<QList<StoredChatMessage>> rows = m_store.messages(m_request.vodId, query, error);
    if (!rows)
        return false;
    if (!rows->isEmpty())
        m_cursor = ChatCursor{rows->constLast().relTimestamp, rows->constLast().id};
    m_queue.append(*rows);
    return true;
}

void ChatReplay::sendDue()
{
    // The client is gone: nothing tells this thread but the responder.
    if (!m_responder.isOpen()) {
        finish();
        return;
    }
    for (;;) {
        const qint64 elapsed = m_clock.elapsed();
        QByteArray events;
        qsizetype sent = 0;
        qint64 nextDue = 0;
        for (const StoredChatMessage &row : std::as_const(m_queue)) {
            nextDue = qint64((row.relTimestamp - m_base) / m_request.speed * 1000.0);
            if (nextDue > elapsed)
                break;
            events += "id: " + QByteArray::number(row.id) + "\ndata: "
                    + QJsonDocument(ChatExportWriter::toJson(row)).toJson(QJsonDocument::Compact)
                    + "\n\n";
            ++sent;
        }
        m_queue.remove(0, sent);
        write(events);
        if (!m_queue.isEmpty()) {
            m_sendTimer.start(std::chrono::milliseconds(nextDue - elapsed));
            return;
        }
        StoreError error;
        if (!loadPage(&error)) {
            qCWarning(lcChat).noquote() << "chat replay of" << m_request.vodId
                                        << "could not read on:" << error.message;
        }
        if (m_queue.isEmpty()) {
            m_sendTimer.start(m_options.followInterval);
            return;
        }
    }
}

void ChatReplay::write(const QByteArray &bytes)
{
    if (!bytes.isEmpty())
        m_responder.write(bytes);
}

} // namespace Pitwall
