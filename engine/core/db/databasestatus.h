#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

namespace Pitwall {

// A snapshot of the database's health as the DatabaseSupervisor sees it.
class DatabaseStatus final
{
    Q_GADGET
public:
    enum class State {
        Connecting,  // never connected yet; retrying with backoff
        Migrating,   // connected, applying migrations
        Ready,       // connected and migrated
        Unavailable, // was ready, lost the connection; retrying with backoff
        Failed,      // a migration failed: permanent until restart
    };
    Q_ENUM(State)

    State state = State::Connecting;
    bool ready = false;
    QString reason; // why not ready: the connection error or the migration failure
    QDateTime since; // UTC time the state was entered

    // "connecting", "migrating", "ready", "unavailable", "failed".
    static QString stateName(State state);

    friend bool operator==(const DatabaseStatus &, const DatabaseStatus &) = default;
};

} // namespace Pitwall
