#include "relay/relaycomponent.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

EngineComponent::Readiness RelayComponent::readiness() const
{
    if (m_started.loadRelaxed())
        return {true, {}};
    return {false, u"relay engine not started"_s};
}

QJsonObject RelayComponent::status() const
{
    return {{u"state"_s, m_started.loadRelaxed() ? u"running"_s : u"starting"_s},
            {u"forwarder_sessions"_s, m_forwarders.loadRelaxed()},
            {u"receiver_sessions"_s, m_receivers.loadRelaxed()},
            {u"sse_clients"_s, m_sseClients.loadRelaxed()}};
}

void RelayComponent::setSessions(int forwarders, int receivers, int sseClients)
{
    m_forwarders.storeRelaxed(forwarders);
    m_receivers.storeRelaxed(receivers);
    m_sseClients.storeRelaxed(sseClients);
}

} // namespace Pitwall
