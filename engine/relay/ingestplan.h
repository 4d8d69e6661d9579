#pragma once

#include "relay/eventkey.h"
#include "relay/ingestevent.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace Pitwall {

// Sorts one batch into canonical events, identical retransmits and conflicts, and works out
// what the batch does to the stream's counters. Pure logic: the caller supplies the frames
// already stored under the batch's keys and the stream's current epoch.
//
// A key repeated inside the batch is treated like one already stored: its first occurrence is
// canonical, later ones are retransmits or conflicts against it.
class IngestPlan final
{
public:
    IngestPlan(const QList<IngestEvent> &events, const QHash<EventKey, QByteArray> &stored,
               qint64 currentEpoch);

    // Indexes into the batch.
    const QList<qsizetype> &canonical() const { return m_canonical; }
    const QList<qsizetype> &conflicts() const { return m_conflicts; }
    int retransmits() const { return m_retransmits; }

    // The stream's epoch after the batch (the highest seen) and whether it moved.
    qint64 newEpoch() const { return m_newEpoch; }
    bool epochAdvanced() const { return m_epochAdvanced; }
    // The same classification restricted to events of newEpoch().
    int epochCanonical() const { return m_epochCanonical; }
    int epochRetransmits() const { return m_epochRetransmits; }
    int epochConflicts() const { return m_epochConflicts; }
    // Last canonical event of newEpoch() in batch order, or -1.
    qsizetype lastEpochCanonical() const { return m_lastEpochCanonical; }
    // Highest seq per epoch, ascending by epoch.
    QList<EventKey> acks() const;

    // The keys of a batch, for looking up what is stored.
    static QList<EventKey> keys(const QList<IngestEvent> &events);

private:
    QList<qsizetype> m_canonical;
    QList<qsizetype> m_conflicts;
    int m_retransmits = 0;
    qint64 m_newEpoch = 1;
    bool m_epochAdvanced = false;
    int m_epochCanonical = 0;
    int m_epochRetransmits = 0;
    int m_epochConflicts = 0;
    qsizetype m_lastEpochCanonical = -1;
    QHash<qint64, qint64> m_highestSeq;
};

} // namespace Pitwall
