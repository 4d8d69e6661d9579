#pragma once

#include "core/enginecomponent.h"

#include <QAtomicInteger>

namespace Pitwall {

// The relay as /readyz and /status see it; the engine updates the counts from its thread.
class RelayComponent final : public EngineComponent
{
public:
    QString name() const override { return QStringLiteral("relay"); }
    Readiness readiness() const override;
    QJsonObject status() const override;

    void setStarted(bool started) { m_started.storeRelaxed(started); }
    void setSessions(int forwarders, int receivers, int sseClients);

private:
    QAtomicInteger<bool> m_started = false;
    QAtomicInteger<int> m_forwarders = 0;
    QAtomicInteger<int> m_receivers = 0;
    QAtomicInteger<int> m_sseClients = 0;
};

} // namespace Pitwall
