#pragma once

#include <QHash>
#include <QSet>
#include <QString>

namespace Pitwall {

class ForwarderSession;
class ReceiverSession;
class RelaySession;

// The live, authenticated sessions on the relay thread. The newest session of a forwarder
// replaces an older one (spec: a half-open old connection never blocks a reconnect).
class SessionRegistry final
{
public:
    void addForwarder(ForwarderSession *session);
    // False when the session was not (or no longer) the registered one.
    bool removeForwarder(ForwarderSession *session);
    ForwarderSession *forwarder(const QString &forwarderId) const;

    void addReceiver(ReceiverSession *session);
    void removeReceiver(ReceiverSession *session);

    int forwarderCount() const { return int(m_forwarders.size()); }
    int receiverCount() const { return int(m_receivers.size()); }

    // A token was revoked or deleted: its sessions end with INVALID_TOKEN.
    void closeToken(const QString &tokenId);
    // Shutdown: every session closes (no error frame).
    void closeAll();

private:
    QList<RelaySession *> all() const;

    QHash<QString, ForwarderSession *> m_forwarders; // by device id
    QSet<ReceiverSession *> m_receivers;
};

} // namespace Pitwall
