#pragma once

#include "core/log/logentry.h"

#include <QList>
#include <QMutex>
#include <QObject>

namespace Pitwall {

// The most recent log entries in memory, for the console's log panel and GET /api/v1/logs.
// Thread-safe: any thread may append or read. Ids start at 1 and increase by one per entry, so
// a reader that remembers the last id it saw can ask for exactly what is new.
class LogRing final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogRing)

public:
    static constexpr int DefaultCapacity = 2000;
    static constexpr int DefaultLimit = 500;

    // A capacity below 1 is taken as 1.
    explicit LogRing(int capacity = DefaultCapacity, QObject *parent = nullptr);

    int capacity() const { return m_capacity; }

    // Stores the entry with the next id (the entry's own id is ignored) and returns that id.
    quint64 append(LogEntry entry);

    // Entries with id > afterId, oldest first, at most `limit` of them (none if limit < 1).
    // If afterId is older than the oldest entry kept, starts at the oldest kept.
    QList<LogEntry> entriesSince(quint64 afterId, int limit = DefaultLimit) const;

    // Id of the newest entry, 0 while empty.
    quint64 lastId() const;

Q_SIGNALS:
    // Emitted in the appending thread after the entry is stored. Appends racing on several
    // threads may be signalled out of id order; a receiver that must not miss or reorder any
    // entry reads entriesSince() its last seen id instead of trusting arrival order.
    void entryAppended(const Pitwall::LogEntry &entry);

private:
    const int m_capacity;
    mutable QMutex m_mutex;
    QList<LogEntry> m_entries; // circular once full: m_oldest is the index of the oldest entry
    qsizetype m_oldest = 0;
    quint64 m_lastId = 0;
};

} // namespace Pitwall
