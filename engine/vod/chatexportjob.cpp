#include "vod/chatexportjob.h"

#include "core/log/logcategories.h"
#include "relay/storeerrorresponse.h"
#include "vod/chatstore.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ChatExportJob::ChatExportJob(const ChatStore &store, const QString &vodId,
                             ChatExportWriter::Format format, int pageSize,
                             HttpResponder responder, QObject *parent)
    : QObject(parent), m_store(store), m_vodId(vodId), m_pageSize(pageSize), m_writer(format),
      m_format(format), m_responder(std::move(responder))
{
}

void ChatExportJob::start()
{
    nextPage();
}

void ChatExportJob::abort()
{
    // Dropping the unfinished responder cuts the transfer off.
    m_responder = HttpResponder();
    deleteLater();
}

QByteArray ChatExportJob::disposition() const
{
    // Only [A-Za-z0-9._-] from the id, so it cannot break out of the quoted value.
    QString name = u"chat_"_s + m_vodId;
    for (QChar &c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'.' && c != u'-' && c != u'_')
            c = u'_';
    }
    return "attachment; filename=\"" + name.toLatin1() + '.'
            + ChatExportWriter::extension(m_format).toLatin1() + '"';
}

void ChatExportJob::nextPage()
{
    if (m_started && !m_responder.isOpen()) {
        abort();
        return;
    }
    ChatQuery query;
    query.limit = m_pageSize;
    query.after = m_cursor;
    StoreError error;
    const std::optional<QList<StoredChatMessage>> rows = m_store.messages(m_vodId, query, &error);
    if (!rows) {
        if (m_started) {
            qCWarning(lcChat).noquote() << "chat export of" << m_vodId
                                        << "failed mid-stream, cutting it off:" << error.message;
            abort();
        } else {
            m_responder.send(storeErrorResponse(error));
            deleteLater();
        }
        return;
    }
    if (!m_started) {
        m_responder.beginStream(200, {{"Content-Type", ChatExportWriter::contentType(m_format)},
                                      {"Content-Disposition", disposition()}});
        m_responder.write(m_writer.begin());
        m_started = true;
    }
    if (!rows->isEmpty())
        m_responder.write(m_writer.rows(*rows));
    if (rows->size() < m_pageSize) {
        m_responder.write(m_writer.end());
        m_responder.finish();
        deleteLater();
        return;
    }
    m_cursor = ChatCursor{rows->constLast().relTimestamp, rows->constLast().id};
    QMetaObject::invokeMethod(this, &ChatExportJob::nextPage, Qt::QueuedConnection);
}

} // namespace Pitwall
