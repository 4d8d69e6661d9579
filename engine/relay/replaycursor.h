#pragma once

#include "relay/eventkey.h"

#include <QMap>

#include <optional>

namespace Pitwall {

// What one receiver has been sent of one stream, per epoch, and where reading resumes. Epochs
// are tracked apart (spec: cursors per (stream, epoch)), so late events of an older epoch are
// still delivered after the receiver moved on to a newer one.
//
// An event is due when its epoch is at or above the floor (or has a cursor of its own) and its
// seq is past that epoch's cursor. A targeted replay restricts this to one epoch and an upper
// bound fixed when the replay starts.
class ReplayCursor final
{
public:
    ReplayCursor() = default;
    // floorEpoch: the first epoch to deliver in full; cursors: per-epoch last delivered seq.
    ReplayCursor(qint64 floorEpoch, QMap<qint64, qint64> cursors);
    // One epoch only, seqs fromSeq..upTo (inclusive).
    static ReplayCursor targeted(qint64 epoch, qint64 fromSeq, qint64 upTo);

    // Raises an epoch's cursor (a hello resume); never lowers it.
    void raise(qint64 epoch, qint64 seq);

    bool isDue(EventKey key) const;
    // Marks an event sent (and moves the read position there).
    void advance(EventKey key);
    // Moves the read position past an event that was read but not due.
    void markRead(EventKey key) { m_read = std::max(m_read, key); }
    // Where the next database page starts (exclusive): past what was read, and past the
    // cursor of the epoch being read.
    EventKey readPosition() const;
    // Targeted replays end at their bound; other cursors never do.
    bool isPastBound(EventKey key) const;
    std::optional<qint64> onlyEpoch() const { return m_onlyEpoch; }

private:
    qint64 cursorOf(qint64 epoch) const { return m_cursors.value(epoch, 0); }

    qint64 m_floor = 1;
    QMap<qint64, qint64> m_cursors;
    EventKey m_read;
    std::optional<qint64> m_onlyEpoch;
    std::optional<qint64> m_upTo;
};

} // namespace Pitwall
