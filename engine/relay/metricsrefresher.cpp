#include "relay/metricsrefresher.h"

#include "relay/eventbroadcaster.h"
#include "relay/eventstore.h"
#include "relay/storageworkers.h"
#include "relay/streamhub.h"
#include "relay/streammetricsjson.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

MetricsRefresher::MetricsRefresher(const EventStore &events, StorageWorkers &workers,
                                   EventBroadcaster &broadcaster, const StreamHub &hub,
                                   std::chrono::milliseconds debounce, QObject *parent)
    : QObject(parent), m_events(events), m_workers(workers), m_broadcaster(broadcaster), m_hub(hub)
{
    m_timer.setParent(this);
    m_timer.setSingleShot(true);
    m_timer.setInterval(debounce);
    connect(&m_timer, &QTimer::timeout, this, &MetricsRefresher::refresh);
}

void MetricsRefresher::streamChanged(const QString &streamId)
{
    m_dirty.insert(streamId);
    if (!m_timer.isActive() && !m_inFlight)
        m_timer.start();
}

MetricsRefresher::Snapshot MetricsRefresher::read(const EventStore &events,
                                                  const QList<QString> &streamIds)
{
    Snapshot snapshot;
    for (const QString &streamId : streamIds) {
        StoreError error;
        if (const auto metrics = events.metrics(streamId, &error))
            snapshot.append({streamId, *metrics});
    }
    return snapshot;
}

void MetricsRefresher::refresh()
{
    if (m_dirty.isEmpty())
        return;
    m_inFlight = true;
    m_workers.run<Snapshot>(
            0, this,
            [&events = m_events, streamIds = std::exchange(m_dirty, {}).values()] {
                return read(events, streamIds);
            },
            [this](Snapshot snapshot) {
                m_inFlight = false;
                for (const auto &[streamId, metrics] : std::as_const(snapshot)) {
                    QJsonObject event = streamMetricsJson(metrics);
                    event.insert(u"type"_s, u"metrics_updated"_s);
                    event.insert(u"stream_id"_s, streamId);
                    m_broadcaster.publish(event);
                    m_hub.publishMetrics(streamId, metrics);
                }
                if (!m_dirty.isEmpty())
                    m_timer.start();
            });
}

} // namespace Pitwall
