#include "core/log/logcontext.h"

#include <utility>

namespace Pitwall {

namespace {

// Points into the innermost live Frame on this thread. A plain pointer (no destructor to run)
// so logging during thread teardown still reads a valid, empty context.
thread_local const LogContext::Snapshot *t_current = nullptr;

LogContext::Snapshot withFields(const QJsonObject &added)
{
    LogContext::Snapshot context = LogContext::capture();
    for (auto it = added.begin(); it != added.end(); ++it)
        context.fields.insert(it.key(), it.value());
    return context;
}

} // namespace

LogContext::Frame::Frame(Snapshot context)
    : m_context(std::move(context))
    , m_previous(t_current)
{
    t_current = &m_context;
}

LogContext::Frame::~Frame()
{
    t_current = m_previous;
}

QString LogContext::correlationId()
{
    return t_current ? t_current->correlationId : QString();
}

QJsonObject LogContext::fields()
{
    return t_current ? t_current->fields : QJsonObject();
}

LogContext::Snapshot LogContext::capture()
{
    return t_current ? *t_current : Snapshot();
}

LogContext::Scope::Scope(const QString &correlationId)
    : m_frame(Snapshot{correlationId, {}})
{
}

LogContext::Scope::Scope(const Snapshot &snapshot)
    : m_frame(snapshot)
{
}

LogContext::Scope::Scope(const QString &correlationId, const QJsonObject &fields)
    : m_frame(Snapshot{correlationId, fields})
{
}

LogContext::Fields::Fields(const QJsonObject &fields)
    : m_frame(withFields(fields))
{
}

} // namespace Pitwall
