#include "relay/ingestsql.h"

#include "relay/ingestplan.h"
#include "relay/storesql.h"

#include <QSqlQuery>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Seqs per lookup of stored frames; keeps statements well inside the parameter budget.
constexpr qsizetype lookupChunk = 500;

} // namespace

bool IngestSql::validate(const QList<IngestEvent> &events, StoreError *error)
{
    for (qsizetype i = 0; i < events.size(); ++i) {
        const IngestEvent &event = events.at(i);
        if (event.streamEpoch < 1 || event.seq < 1) {
            return StoreSql::fail(error, StoreError::Kind::Invalid,
                                  u"event %1 of the batch: stream_epoch and seq must be >= 1 "
                                  "(got %2, %3)"_s.arg(i + 1).arg(event.streamEpoch).arg(event.seq));
        }
        if (event.readType.isEmpty()) {
            return StoreSql::fail(error, StoreError::Kind::Invalid,
                                  u"event %1 of the batch: read_type is empty"_s.arg(i + 1));
        }
    }
    return true;
}

bool IngestSql::storedFrames(QSqlQuery &query, const QString &streamId,
                             const QList<IngestEvent> &events,
                             QHash<EventKey, QByteArray> *stored, StoreError *error)
{
    QHash<qint64, QList<qint64>> seqsByEpoch;
    for (const EventKey &key : IngestPlan::keys(events))
        seqsByEpoch[key.epoch].append(key.seq);
    for (auto it = seqsByEpoch.cbegin(); it != seqsByEpoch.cend(); ++it) {
        for (qsizetype first = 0; first < it.value().size(); first += lookupChunk) {
            const QList<qint64> seqs = it.value().mid(first, lookupChunk);
            const auto [lowest, highest] = std::minmax_element(seqs.cbegin(), seqs.cend());
            QVariantList values{streamId, it.key(), *lowest, *highest};
            for (const qint64 seq : seqs)
                values.append(seq);
            // The bounds make the primary key scan only the batch's range: a planner whose
            // statistics predate the stream's rows filters the IN list over all of them instead.
            const QString sql = u"SELECT seq, raw_frame FROM events WHERE stream_id = ? AND "
                                "stream_epoch = ? AND seq BETWEEN ? AND ? AND seq IN (%1)"_s
                                        .arg(QStringList(seqs.size(), u"?"_s).join(u','));
            if (!StoreSql::run(query, sql, values, error))
                return false;
            while (query.next())
                stored->insert({it.key(), query.value(0).toLongLong()}, query.value(1).toByteArray());
        }
    }
    return true;
}

bool IngestSql::updateMetrics(QSqlQuery &query, const QString &streamId,
                              const QList<IngestEvent> &events, const IngestPlan &plan,
                              const QString &now, StoreError *error)
{
    const qsizetype canonical = plan.canonical().size();
    const qsizetype conflicts = plan.conflicts().size();
    QStringList sets{u"raw_count = raw_count + ?"_s, u"dedup_count = dedup_count + ?"_s,
                     u"retransmit_count = retransmit_count + ?"_s,
                     u"conflict_count = conflict_count + ?"_s};
    QVariantList values{canonical + plan.retransmits(), canonical, plan.retransmits(), conflicts};
    for (const QString &column : {u"epoch_raw_count"_s, u"epoch_dedup_count"_s,
                                  u"epoch_retransmit_count"_s, u"epoch_conflict_count"_s}) {
        sets << (plan.epochAdvanced() ? u"%1 = ?"_s : u"%1 = %1 + ?"_s).arg(column);
    }
    values << plan.epochCanonical() + plan.epochRetransmits() << plan.epochCanonical()
           << plan.epochRetransmits() << plan.epochConflicts();
    if (canonical > 0)
        sets << u"last_canonical_event_received_at = "_s + now;
    if (plan.lastEpochCanonical() >= 0) {
        const IngestEvent &last = events.at(plan.lastEpochCanonical());
        sets << u"epoch_last_received_at = "_s + now << u"last_tag_id = ?"_s
             << u"last_reader_timestamp = ?"_s;
        values << StoreSql::nullable(last.tagId) << StoreSql::nullable(last.readerTimestamp);
    } else if (plan.epochAdvanced()) {
        sets << u"epoch_last_received_at = NULL"_s << u"last_tag_id = NULL"_s
             << u"last_reader_timestamp = NULL"_s;
    }
    values << streamId;
    // A DB admin may have deleted the metrics row (runbook retention delete): recreate it.
    return StoreSql::run(query,
                         u"INSERT INTO stream_metrics (stream_id) VALUES (?) ON CONFLICT DO NOTHING"_s,
                         {streamId}, error)
            && StoreSql::run(query,
                             u"UPDATE stream_metrics SET %1 WHERE stream_id = ?"_s.arg(
                                     sets.join(u", "_s)),
                             values, error);
}

} // namespace Pitwall
