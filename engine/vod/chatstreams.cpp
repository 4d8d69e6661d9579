#include "vod/chatstreams.h"

#include "vod/chatexportjob.h"
#include "vod/chatreplay.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ChatStreams::ChatStreams(const Database &database, ChatStreamOptions options)
    : m_store(database), m_options(options), m_context(std::make_unique<QObject>())
{
    m_thread.setObjectName(u"chat-streams"_s);
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

ChatStreams::~ChatStreams()
{
    closeAll();
    m_thread.quit();
    m_thread.wait();
    // The thread has ended: deleting its objects here is safe.
    m_context.reset();
}

void ChatStreams::post(HttpResponder responder, std::function<void(HttpResponder)> job)
{
    auto holder = std::make_shared<HttpResponder>(std::move(responder));
    QMetaObject::invokeMethod(
            m_context.get(),
            [holder = std::move(holder), job = std::move(job)] { job(std::move(*holder)); },
            Qt::QueuedConnection);
}

void ChatStreams::replay(ChatReplayRequest request, HttpResponder responder)
{
    post(std::move(responder), [this, request = std::move(request)](HttpResponder owned) {
        (new ChatReplay(m_store, request, m_options, std::move(owned), m_context.get()))->start();
    });
}

void ChatStreams::exportChat(const QString &vodId, ChatExportWriter::Format format,
                             HttpResponder responder)
{
    post(std::move(responder), [this, vodId, format](HttpResponder owned) {
        (new ChatExportJob(m_store, vodId, format, m_options.pageSize * 4, std::move(owned),
                           m_context.get()))
                ->start();
    });
}

void ChatStreams::closeAll()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
            m_context.get(),
            [this] {
                for (ChatReplay *replay : m_context->findChildren<ChatReplay *>())
                    replay->finish();
                for (ChatExportJob *job : m_context->findChildren<ChatExportJob *>())
                    job->abort();
            },
            Qt::BlockingQueuedConnection);
}

} // namespace Pitwall
