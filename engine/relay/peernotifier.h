#pragma once

#include <QObject>
#include <QSqlDriver>
#include <QString>
#include <QTimer>

namespace Pitwall {

class Database;
class StreamHub;

// Fan-out across Pitwall instances sharing one PostgreSQL (spec: relay instances stay
// stateless). After a batch commits, announce() sends NOTIFY on the storage thread's
// connection; every other instance LISTENs on its relay thread and tells its StreamHub, whose
// receivers then read the new events from the database. On SQLite (one process) it does
// nothing. The listening connection is checked every few seconds and re-subscribed after the
// server came back; receivers then catch up, since notifications may have been missed.
class PeerNotifier final : public QObject
{
    Q_OBJECT

public:
    static constexpr char channel[] = "pitwall_relay_events";

    PeerNotifier(const Database &database, StreamHub &hub, QObject *parent = nullptr);

    // Relay thread: starts listening (PostgreSQL only).
    void start();
    // Any thread: tells the other instances that this stream has new events.
    void announce(const QString &streamId) const;

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
