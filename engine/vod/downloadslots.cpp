#include "vod/downloadslots.h"

#include <algorithm>

namespace Pitwall {

DownloadSlots::DownloadSlots(int capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max(1, capacity))
{
}

DownloadSlots::Ticket DownloadSlots::acquire(QObject *context, std::function<void()> granted)
{
    const Ticket ticket = m_nextTicket++;
    Request &request = m_requests[ticket];
    request.context = context;
    request.granted = std::move(granted);
    request.destroyed = connect(context, &QObject::destroyed, this, [this, ticket] { release(ticket); });
    m_queue.append(ticket);
    grantWaiting();
    return ticket;
}

void DownloadSlots::release(Ticket ticket)
{
    const auto it = m_requests.find(ticket);
    if (it == m_requests.end())
        return;
    const bool holding = it->holding;
    disconnect(it->destroyed);
    m_requests.erase(it);
    if (!holding) {
        m_queue.removeOne(ticket);
        return;
    }
    --m_active;
    emit activeChanged(m_active);
    grantWaiting();
}

void DownloadSlots::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    grantWaiting();
}

void DownloadSlots::grantWaiting()
{
    while (m_active < m_capacity && !m_queue.isEmpty()) {
        const Ticket ticket = m_queue.takeFirst();
        Request &request = m_requests[ticket];
        request.holding = true;
        ++m_active;
        emit activeChanged(m_active);
        // Queued, so the callback never runs inside acquire() or release(); a ticket given back
        // before the event loop gets there is not called back.
        QMetaObject::invokeMethod(request.context, [this, ticket] {
            const auto it = m_requests.constFind(ticket);
            if (it == m_requests.cend())
                return;
            // A copy: the callback may release the ticket, which destroys the stored one.
            const std::function<void()> granted = it->granted;
            if (granted)
                granted();
        }, Qt::QueuedConnection);
    }
}

} // namespace Pitwall
