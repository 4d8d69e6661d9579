#include "relay/ingestplan.h"

#include <algorithm>

namespace Pitwall {

IngestPlan::IngestPlan(const QList<IngestEvent> &events, const QHash<EventKey, QByteArray> &stored,
                       qint64 currentEpoch)
    : m_newEpoch(currentEpoch)
{
    for (const IngestEvent &event : events) {
        m_newEpoch = std::max(m_newEpoch, event.streamEpoch);
        qint64 &highest = m_highestSeq[event.streamEpoch];
        highest = std::max(highest, event.seq);
    }
    m_epochAdvanced = m_newEpoch != currentEpoch;

    QHash<EventKey, QByteArray> known = stored;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const IngestEvent &event = events.at(i);
        const EventKey key{event.streamEpoch, event.seq};
        const bool inEpoch = event.streamEpoch == m_newEpoch;
        const auto found = known.constFind(key);
        if (found == known.cend()) {
            known.insert(key, event.rawFrame);
            m_canonical.append(i);
            if (inEpoch) {
                ++m_epochCanonical;
                m_lastEpochCanonical = i;
            }
        } else if (*found == event.rawFrame) {
            ++m_retransmits;
            m_epochRetransmits += inEpoch ? 1 : 0;
        } else {
            m_conflicts.append(i);
            m_epochConflicts += inEpoch ? 1 : 0;
        }
    }
}

QList<EventKey> IngestPlan::acks() const
{
    QList<EventKey> acks;
    acks.reserve(m_highestSeq.size());
    for (auto it = m_highestSeq.cbegin(); it != m_highestSeq.cend(); ++it)
        acks.append({it.key(), it.value()});
    std::sort(acks.begin(), acks.end());
    return acks;
}

QList<EventKey> IngestPlan::keys(const QList<IngestEvent> &events)
{
    QList<EventKey> keys;
    keys.reserve(events.size());
    for (const IngestEvent &event : events)
        keys.append({event.streamEpoch, event.seq});
    return keys;
}

} // namespace Pitwall
