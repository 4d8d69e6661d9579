#include "relay/exportrunner.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

ExportRunner::ExportRunner() : m_context(std::make_unique<QObject>())
{
    m_thread.setObjectName(u"relay-export"_s);
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

ExportRunner::~ExportRunner()
{
    m_stopping = true;
    m_thread.quit();
    m_thread.wait();
    // The thread has ended, so deleting its object here is safe; the jobs still queued for it
    // are destroyed with it, and their responders answer or cut off their requests.
    m_context.reset();
}

void ExportRunner::post(std::function<void()> job)
{
    QMetaObject::invokeMethod(m_context.get(), std::move(job), Qt::QueuedConnection);
}

} // namespace Pitwall
