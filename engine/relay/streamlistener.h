#pragma once

#include "relay/protocol/protocoltypes.h"
#include "relay/streammetrics.h"

#include <QList>
#include <QString>

namespace Pitwall {

// A receiver session as the StreamHub sees it (relay thread only).
class StreamListener
{
public:
    virtual ~StreamListener() = default;
    // New canonical events of the stream were committed. `events` holds them, ascending, when
    // this instance ingested them; nullptr when another instance did (read them from the store).
    virtual void streamAdvanced(const QString &streamId, const QList<ReadEvent> *events) = 0;
    virtual void readerStatusChanged(const QString &streamId, const QString &readerIp,
                                     bool connected) = 0;
    virtual void metricsChanged(const QString &streamId, const StreamMetrics &metrics) = 0;
};

} // namespace Pitwall
