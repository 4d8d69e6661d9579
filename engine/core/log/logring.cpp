#include "core/log/logring.h"

#include <algorithm>

namespace Pitwall {

LogRing::LogRing(int capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max(1, capacity))
{
    m_entries.reserve(m_capacity);
}

quint64 LogRing::append(LogEntry entry)
{
    {
        QMutexLocker locker(&m_mutex);
        entry.id = ++m_lastId;
        if (m_entries.size() < m_capacity) {
            m_entries.append(entry);
        } else {
            m_entries[m_oldest] = entry;
            m_oldest = (m_oldest + 1) % m_capacity;
        }
    }
    // Outside the lock: a directly connected slot may read the ring back.
    Q_EMIT entryAppended(entry);
    return entry.id;
}

QList<LogEntry> LogRing::entriesSince(quint64 afterId, int limit) const
{
    QMutexLocker locker(&m_mutex);
    const auto kept = static_cast<quint64>(m_entries.size());
    if (limit < 1 || afterId >= m_lastId || kept == 0)
        return {};
    const quint64 oldestId = m_lastId - kept + 1;
    const quint64 firstId = std::max(afterId + 1, oldestId);
    const auto count = static_cast<qsizetype>(std::min<quint64>(m_lastId - firstId + 1, limit));
    const auto skip = static_cast<qsizetype>(firstId - oldestId);

    QList<LogEntry> result;
    result.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        result.append(m_entries.at((m_oldest + skip + i) % m_entries.size()));
    return result;
}

quint64 LogRing::lastId() const
{
    QMutexLocker locker(&m_mutex);
    return m_lastId;
}

} // namespace Pitwall
