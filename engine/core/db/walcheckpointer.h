#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>

namespace Pitwall {

class Counter;
class Database;
class Gauge;
class MetricsRegistry;

// Keeps a SQLite database's write-ahead log from growing without end. SQLite's own checkpoints
// run after commits and copy the log into the database, but the log only starts over when a
// writer finds no reader on it, and under steady ingest some receiver or panel is always reading:
// the log grew by 25 MB/s at 5 000 reads/s (10 GB in 7 minutes) and its index, mapped into
// every process, with it. Every interval this checks the log's size; past the limit it runs a
// TRUNCATE checkpoint, which waits (the connection's busy timeout) for the writer lock and for
// readers to move on, copies what is left and empties the log. Lives in a worker thread and uses
// that thread's connection.
class WalCheckpointer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WalCheckpointer)

public:
    static constexpr std::chrono::seconds DefaultInterval{1};
    static constexpr qint64 DefaultLimitBytes = 16 * 1024 * 1024;

    // database is SQLite's; metrics gets pitwall_db_wal_bytes and
    // pitwall_db_wal_checkpoints_total{result="done|busy|failed"}.
    WalCheckpointer(const Database &database, MetricsRegistry &metrics,
                    std::chrono::milliseconds interval = DefaultInterval,
                    qint64 limitBytes = DefaultLimitBytes, QObject *parent = nullptr);

    // Starts checking; call it in the thread the checkpointer lives in.
    void start();
    // One check now: the log's size, and a checkpoint when it is past the limit.
    void check();

signals:
    // After each checkpoint: whether the log was emptied, and its size before (bytes).
    void checkpointed(bool emptied, qint64 walBytesBefore);

private:
    qint64 walBytes() const;

    const Database &m_database;
    const QString m_walPath;
    const qint64 m_limitBytes;
    Gauge &m_walBytes;
    Counter &m_done;
    Counter &m_busy;
    Counter &m_failed;
    QTimer m_timer;
    int m_busyInARow = 0;
};

} // namespace Pitwall
