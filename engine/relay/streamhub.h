#pragma once

#include "relay/streamlistener.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace Pitwall {

// Live fan-out on the relay thread: which receiver sessions follow which stream. Publishing
// calls the listeners directly, so delivery costs no copy per receiver beyond its own batch.
class StreamHub final
{
public:
    void subscribe(const QString &streamId, StreamListener *listener);
    // Removes the listener from every stream.
    void unsubscribe(StreamListener *listener);

    void publishEvents(const QString &streamId, const LiveEvents *events) const;
    void publishReaderStatus(const QString &streamId, const QString &readerIp,
                             bool connected) const;
    void publishMetrics(const QString &streamId, const StreamMetrics &metrics) const;

    // Streams that at least one session follows.
    QList<QString> followedStreams() const { return m_listeners.keys(); }

private:
    QList<StreamListener *> listenersOf(const QString &streamId) const;

    QHash<QString, QSet<StreamListener *>> m_listeners;
};

} // namespace Pitwall
