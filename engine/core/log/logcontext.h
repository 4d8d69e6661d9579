#pragma once

#include <QJsonObject>
#include <QString>

namespace Pitwall {

// Per-thread logging context: the correlation id of the request being served and extra fields
// (e.g. {"dl_ms": 1234}) that LogSink attaches to every line logged on that thread.
//
// Contexts are RAII frames on the stack and must be destroyed in reverse order of creation,
// which normal scoping guarantees. To carry a context into work on another thread, capture()
// it where the work is queued and open a Scope(snapshot) where the work runs.
class LogContext
{
public:
    struct Snapshot {
        QString correlationId;
        QJsonObject fields;
    };

private:
    // Installs `context` as the thread's current one for its lifetime, then restores the previous.
    class Frame
    {
    public:
        explicit Frame(Snapshot context);
        ~Frame();
        Q_DISABLE_COPY_MOVE(Frame)

    private:
        const Snapshot m_context;
        const Snapshot *const m_previous;
    };

public:
    static QString correlationId();  // current thread's, empty if none
    static QJsonObject fields();     // current thread's extra fields
    static Snapshot capture();       // to carry into work on another thread

    // Starts a new context: the given correlation id and fields replace the current ones
    // (fields of an outer Scope or Fields do not leak into it). Nests; restores on destruction.
    class Scope
    {
    public:
        explicit Scope(const QString &correlationId);
        explicit Scope(const Snapshot &snapshot);
        Scope(const QString &correlationId, const QJsonObject &fields);
        ~Scope() = default;
        Q_DISABLE_COPY_MOVE(Scope)

    private:
        Frame m_frame;
    };

    // Adds fields on top of the current ones (same key: the inner value wins) and keeps the
    // correlation id. Nests; restores on destruction.
    class Fields
    {
    public:
        explicit Fields(const QJsonObject &fields);
        ~Fields() = default;
        Q_DISABLE_COPY_MOVE(Fields)

    private:
        Frame m_frame;
    };
};

} // namespace Pitwall
