#pragma once

#include "relay/eventstore.h"

#include <QObject>
#include <QSqlDriver>
#include <QString>
#include <QTimer>

#include <optional>

namespace Pitwall {

class Database;
class StreamHub;

// Fan-out across Pitwall instances sharing one PostgreSQL (spec: relay instances stay
// stateless). A batch that stores new events sends announcement() as a NOTIFY in its ingest
// transaction, so it arrives with the commit; every other instance LISTENs on its relay thread
// and tells its StreamHub, whose receivers then read the new events from the database. On
// SQLite (one process) it does nothing. The listening connection is checked every few seconds
// and re-subscribed after the server came back; receivers then catch up, since notifications
// may have been missed.
class PeerNotifier final : public QObject
{
    Q_OBJECT

public:
    static constexpr char channel[] = "pitwall_relay_events";

    PeerNotifier(const Database &database, StreamHub &hub, QObject *parent = nullptr);

    // Relay thread: starts listening (PostgreSQL only).
    void start();
    // Any thread: the NOTIFY telling the other instances that this stream has new events, for
    // EventStore::ingest(); std::nullopt on SQLite.
    std::optional<EventStore::Notification> announcement(const QString &streamId) const;

private:
    void ensureListening();
    void received(const QString &name, QSqlDriver::NotificationSource source,
                  const QVariant &payload);

    const Database &m_database;
    StreamHub &m_hub;
    const QString m_instanceId;
    const bool m_enabled;
    bool m_listening = false;
    QTimer m_check;
};

} // namespace Pitwall
