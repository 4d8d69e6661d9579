#pragma once

#include "relay/streammetrics.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <utility>

namespace Pitwall {

class EventBroadcaster;
class EventStore;
class StorageWorkers;
class StreamHub;

// Debounces metrics pushes: streams touched by ingest are collected, and at most every
// metricsDebounce their metrics are read once and sent to the dashboard (SSE metrics_updated)
// and to the receivers following them (receiver_stream_metrics). Relay thread.
class MetricsRefresher final : public QObject
{
    Q_OBJECT

public:
    MetricsRefresher(const EventStore &events, StorageWorkers &workers,
                     EventBroadcaster &broadcaster, const StreamHub &hub,
                     std::chrono::milliseconds debounce, QObject *parent = nullptr);

    void streamChanged(const QString &streamId);

    using Snapshot = QList<std::pair<QString, StreamMetrics>>;
    // The metrics of these streams, read on the calling (storage) thread; unreadable ones are
    // left out.
    static Snapshot read(const EventStore &events, const QList<QString> &streamIds);

private:
    void refresh();

    const EventStore &m_events;
    StorageWorkers &m_workers;
    EventBroadcaster &m_broadcaster;
    const StreamHub &m_hub;
    QSet<QString> m_dirty;
    bool m_inFlight = false;
    QTimer m_timer;
};

} // namespace Pitwall
