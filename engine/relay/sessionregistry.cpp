#include "relay/sessionregistry.h"

#include "relay/forwardersession.h"
#include "relay/receiversession.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

void SessionRegistry::addForwarder(ForwarderSession *session)
{
    ForwarderSession *&slot = m_forwarders[session->identity().deviceId];
    ForwarderSession *previous = std::exchange(slot, session);
    if (previous && previous != session)
        previous->replaceWithNewer();
}

bool SessionRegistry::removeForwarder(ForwarderSession *session)
{
    const auto it = m_forwarders.constFind(session->identity().deviceId);
    if (it == m_forwarders.cend() || *it != session)
        return false;
    m_forwarders.erase(it);
    return true;
}

ForwarderSession *SessionRegistry::forwarder(const QString &forwarderId) const
{
    return m_forwarders.value(forwarderId);
}

void SessionRegistry::addReceiver(ReceiverSession *session)
{
    m_receivers.insert(session);
}

void SessionRegistry::removeReceiver(ReceiverSession *session)
{
    m_receivers.remove(session);
}

QList<RelaySession *> SessionRegistry::all() const
{
    QList<RelaySession *> sessions;
    for (ForwarderSession *session : m_forwarders)
        sessions.append(session);
    for (ReceiverSession *session : m_receivers)
        sessions.append(session);
    return sessions;
}

void SessionRegistry::closeToken(const QString &tokenId)
{
    for (RelaySession *session : all()) {
        if (session->identity().tokenId == tokenId)
            session->fail(ErrorCode::InvalidToken, u"token revoked"_s);
    }
}

void SessionRegistry::closeAll()
{
    for (RelaySession *session : all())
        session->close();
}

} // namespace Pitwall
