#pragma once

#include "relay/protocol/relaymessage.h"
#include "relay/streammetrics.h"

#include <QList>
#include <QString>

namespace Pitwall {

// New canonical events of one stream, as the hub hands them to every receiver following it.
// Most receivers take all of them, so their JSON is made once, on first use (relay thread).
class LiveEvents final
{
public:
    explicit LiveEvents(QList<ReadEvent> events) : m_events(std::move(events)) { }

    const QList<ReadEvent> &events() const { return m_events; }
    const QByteArray &json() const
    {
        if (m_json.isEmpty())
            m_json = eventsArray(m_events);
        return m_json;
    }

private:
    QList<ReadEvent> m_events;
    mutable QByteArray m_json;
};

// A receiver session as the StreamHub sees it (relay thread only).
class StreamListener
{
public:
    virtual ~StreamListener() = default;
    // New canonical events of the stream were committed. `events` holds them, ascending, when
    // this instance ingested them; nullptr when another instance did (read them from the store).
    virtual void streamAdvanced(const QString &streamId, const LiveEvents *events) = 0;
    virtual void readerStatusChanged(const QString &streamId, const QString &readerIp,
                                     bool connected) = 0;
    virtual void metricsChanged(const QString &streamId, const StreamMetrics &metrics) = 0;
};

} // namespace Pitwall
