#include "relay/replaycursor.h"

namespace Pitwall {

ReplayCursor::ReplayCursor(qint64 floorEpoch, QMap<qint64, qint64> cursors)
    : m_floor(std::max<qint64>(1, floorEpoch)), m_cursors(std::move(cursors))
{
    // Reading starts at the lowest epoch the receiver still has something due in.
    const qint64 first = m_cursors.isEmpty() ? m_floor : std::min(m_floor, m_cursors.firstKey());
    m_read = {first, 0};
}

ReplayCursor ReplayCursor::targeted(qint64 epoch, qint64 fromSeq, qint64 upTo)
{
    ReplayCursor cursor(epoch, {{epoch, std::max<qint64>(1, fromSeq) - 1}});
    cursor.m_onlyEpoch = epoch;
    cursor.m_upTo = upTo;
    return cursor;
}

void ReplayCursor::raise(qint64 epoch, qint64 seq)
{
    if (seq > cursorOf(epoch))
        m_cursors.insert(epoch, seq);
}

bool ReplayCursor::isDue(EventKey key) const
{
    if (m_onlyEpoch && (key.epoch != *m_onlyEpoch || key.seq > m_upTo.value_or(key.seq)))
        return false;
    if (key.epoch < m_floor && !m_cursors.contains(key.epoch))
        return false;
    return key.seq > cursorOf(key.epoch);
}

void ReplayCursor::advance(EventKey key)
{
    raise(key.epoch, key.seq);
    markRead(key);
}

EventKey ReplayCursor::readPosition() const
{
    return {m_read.epoch, std::max(m_read.seq, cursorOf(m_read.epoch))};
}

bool ReplayCursor::isPastBound(EventKey key) const
{
    return m_onlyEpoch && (key.epoch > *m_onlyEpoch || key.seq >= m_upTo.value_or(0));
}

} // namespace Pitwall
