#include "relay/streamhub.h"

namespace Pitwall {

void StreamHub::subscribe(const QString &streamId, StreamListener *listener)
{
    m_listeners[streamId].insert(listener);
}

void StreamHub::unsubscribe(StreamListener *listener)
{
    for (auto it = m_listeners.begin(); it != m_listeners.end();) {
        it->remove(listener);
        it = it->isEmpty() ? m_listeners.erase(it) : std::next(it);
    }
}

// A copy: a listener may unsubscribe (close) while being called.
QList<StreamListener *> StreamHub::listenersOf(const QString &streamId) const
{
    return m_listeners.value(streamId).values();
}

void StreamHub::publishEvents(const QString &streamId, const LiveEvents *events) const
{
    for (StreamListener *listener : listenersOf(streamId))
        listener->streamAdvanced(streamId, events);
}

void StreamHub::publishReaderStatus(const QString &streamId, const QString &readerIp,
                                    bool connected) const
{
    for (StreamListener *listener : listenersOf(streamId))
        listener->readerStatusChanged(streamId, readerIp, connected);
}

void StreamHub::publishMetrics(const QString &streamId, const StreamMetrics &metrics) const
{
    for (StreamListener *listener : listenersOf(streamId))
        listener->metricsChanged(streamId, metrics);
}

} // namespace Pitwall
