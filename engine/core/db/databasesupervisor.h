#pragma once

#include "core/db/databasestatus.h"

#include <QMutex>
#include <QObject>
#include <QString>

#include <chrono>

class QTimer;

namespace Pitwall {

class Database;

// Keeps the database usable and says how it is, without ever giving up or exiting on its own:
// connects with exponential backoff, runs the migrations once connected, then pings; a lost
// connection is retried with backoff until it is back. A failed migration is permanent
// (state Failed, migrationFailed emitted): the app exits with that message.
//
// Meant to live in its own QThread: the connect attempts block for up to connect_timeout.
// Call start()/stop() in that thread (queued); status() works from any thread.
class DatabaseSupervisor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatabaseSupervisor)
public:
    struct Timing
    {
        std::chrono::milliseconds initialBackoff{500};
        std::chrono::milliseconds maxBackoff{30000};
        std::chrono::milliseconds pingInterval{2000};
    };

    // `database` must outlive the supervisor; migrationDirectory as for MigrationRunner.
    explicit DatabaseSupervisor(const Database &database, const QString &migrationDirectory = {},
                                QObject *parent = nullptr);
    ~DatabaseSupervisor() override;

    // Before start(); tests shorten the intervals.
    void setTiming(const Timing &timing) { m_timing = timing; }

    DatabaseStatus status() const;

public slots:
    void start();
    // Stops the timers so the thread can quit; the state stays as it was.
    void stop();

signals:
    void statusChanged(Pitwall::DatabaseStatus status);
    void migrationFailed(const QString &message);

private:
    void tick();
    void connectAndMigrate();
    void retryLater(const QString &reason);
    void setState(DatabaseStatus::State state, const QString &reason);

    const Database &m_database;
    QString m_migrationDirectory;
    Timing m_timing;
    QTimer *m_timer;
    std::chrono::milliseconds m_backoff{0};
    bool m_wasReady = false;

    mutable QMutex m_mutex;
    DatabaseStatus m_status; // guarded by m_mutex; written only in this object's thread
};

} // namespace Pitwall
