#pragma once

#include "core/enginecomponent.h"
#include "watch/watchsnapshot.h"

#include <QMutex>

namespace Pitwall {

// The watch engine as /readyz and /status see it. The engine publishes snapshots from its
// thread; readers on any thread get the last one.
class WatchComponent final : public EngineComponent
{
public:
    void publish(WatchSnapshot snapshot);
    WatchSnapshot snapshot() const;

    QString name() const override;
    Readiness readiness() const override;
    QJsonObject status() const override;

private:
    mutable QMutex m_mutex;
    WatchSnapshot m_snapshot;
};

} // namespace Pitwall
