#pragma once

#include <QHash>
#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Pitwall {

// MAX_CONCURRENT_DOWNLOADS shared by every channel pipeline on the engine's thread. A pipeline
// asks for a slot and is called back when it has one (first come, first served); it gives the
// ticket back when its download ends, or to withdraw a request that is still waiting.
class DownloadSlots final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DownloadSlots)

public:
    using Ticket = quint64;

    explicit DownloadSlots(int capacity, QObject *parent = nullptr);

    // `granted` runs from the event loop, in `context`'s thread, once the slot is held; never
    // from within acquire(). A destroyed context gives its ticket back by itself.
    Ticket acquire(QObject *context, std::function<void()> granted);
    // Frees a held slot or withdraws a waiting request; unknown tickets are ignored.
    void release(Ticket ticket);

    int capacity() const { return m_capacity; }
    // A smaller capacity takes effect as downloads end; a larger one grants waiting requests.
    void setCapacity(int capacity);
    int active() const { return m_active; }
    int waiting() const { return int(m_queue.size()); }

signals:
    void activeChanged(int active);

private:
    struct Request
    {
        QPointer<QObject> context;
        std::function<void()> granted;
        QMetaObject::Connection destroyed;
        bool holding = false;
    };

    void grantWaiting();

    int m_capacity;
    int m_active = 0;
    Ticket m_nextTicket = 1;
    QHash<Ticket, Request> m_requests;
    QList<Ticket> m_queue;
};

} // namespace Pitwall
