#include "relay/ingestsql.h"

#include "core/db/dialect.h"
#include "core/db/multirowinsert.h"
#include "core/db/postgresarray.h"
#include "relay/ingestplan.h"
#include "relay/storesql.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Seqs per lookup of stored frames; keeps statements well inside the parameter budget.
constexpr qsizetype lookupChunk = 500;

// The batch as one array per column (raw frames as hex text); its rows go to events, their
// chips of one epoch (the last parameter) to stream_epoch_chips, whose new rows are the
// statement's affected rows.
const QString insertArraysSql = uR"(
WITH batch (epoch, seq, reader_timestamp, frame_hex, read_type, tag_id) AS (
    SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),
                         CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]))),
stored AS (
    INSERT INTO events
        (stream_id, stream_epoch, seq, reader_timestamp, raw_frame, read_type, tag_id)
    SELECT CAST(? AS UUID), epoch, seq, reader_timestamp, decode(frame_hex, 'hex'), read_type,
           tag_id FROM batch)
INSERT INTO stream_epoch_chips (stream_id, stream_epoch, tag_id)
SELECT DISTINCT CAST(? AS UUID), epoch, tag_id FROM batch
WHERE epoch = ? AND tag_id IS NOT NULL
ON CONFLICT DO NOTHING)"_s;

} // namespace

IngestSql::IngestSql(const Database &database, QSqlDatabase db, QString streamId)
    : m_database(database),
      m_db(std::move(db)),
      m_postgres(Dialect::of(m_db).isPostgres()),
      m_streamId(std::move(streamId)),
      m_local(m_db)
{
}

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

bool IngestSql::run(const QString &sql, const QVariantList &values, StoreError *error)
{
    m_ran = StoreSql::runPrepared(m_database, m_db, m_local, sql, values, error);
    if (m_ran)
        return true;
    m_ran = &m_local;
    return false;
}

bool IngestSql::storedFrames(const QList<IngestEvent> &events,
                             QHash<EventKey, QByteArray> *stored, StoreError *error)
{
    QHash<qint64, QList<qint64>> seqsByEpoch;
    for (const EventKey &key : IngestPlan::keys(events))
        seqsByEpoch[key.epoch].append(key.seq);
    for (auto it = seqsByEpoch.cbegin(); it != seqsByEpoch.cend(); ++it) {
        for (qsizetype first = 0; first < it.value().size(); first += lookupChunk) {
            const QList<qint64> seqs = it.value().mid(first, lookupChunk);
            const auto [lowest, highest] = std::minmax_element(seqs.cbegin(), seqs.cend());
            QVariantList values{m_streamId, it.key(), *lowest, *highest};
            // The bounds make the primary key scan only the batch's range: a planner whose
            // statistics predate the stream's rows filters the seq list over all of them instead.
            QString sql = u"SELECT seq, raw_frame FROM events WHERE stream_id = ? AND "
                          "stream_epoch = ? AND seq BETWEEN ? AND ? AND "_s;
            if (m_postgres) {
                PostgresArray array;
                for (const qint64 seq : seqs)
                    array.append(seq);
                values.append(array.text());
                sql += u"seq = ANY(CAST(? AS BIGINT[]))"_s;
            } else { // not kept on SQLite, so a text per batch size is fine
                for (const qint64 seq : seqs)
                    values.append(seq);
                sql += u"seq IN (%1)"_s.arg(QStringList(seqs.size(), u"?"_s).join(u','));
            }
            if (!run(sql, values, error))
                return false;
            while (ran().next())
                stored->insert({it.key(), ran().value(0).toLongLong()},
                               ran().value(1).toByteArray());
        }
    }
    return true;
}

bool IngestSql::insertCanonical(const QList<IngestEvent> &events, const IngestPlan &plan,
                                qint64 *newChips, StoreError *error)
{
    *newChips = 0;
    if (plan.canonical().isEmpty())
        return true;
    if (m_postgres) {
        PostgresArray epochs, seqs, timestamps, frames, types, tags;
        for (const qsizetype index : plan.canonical()) {
            const IngestEvent &event = events.at(index);
            epochs.append(event.streamEpoch);
            seqs.append(event.seq);
            timestamps.append(event.readerTimestamp);
            frames.append(QString::fromLatin1(event.rawFrame.toHex()));
            types.append(event.readType);
            tags.append(event.tagId);
        }
        if (!run(insertArraysSql,
                 {epochs.text(), seqs.text(), timestamps.text(), frames.text(), types.text(),
                  tags.text(), m_streamId, m_streamId, plan.newEpoch()},
                 error)) {
            return false;
        }
        *newChips = ran().numRowsAffected();
        return true;
    }
    MultiRowInsert inserts(u"events"_s,
                           {u"stream_id"_s, u"stream_epoch"_s, u"seq"_s, u"reader_timestamp"_s,
                            u"raw_frame"_s, u"read_type"_s, u"tag_id"_s});
    MultiRowInsert chips(u"stream_epoch_chips"_s,
                         {u"stream_id"_s, u"stream_epoch"_s, u"tag_id"_s},
                         u"ON CONFLICT DO NOTHING"_s);
    for (const qsizetype index : plan.canonical()) {
        const IngestEvent &event = events.at(index);
        inserts.addRow({m_streamId, event.streamEpoch, event.seq,
                        StoreSql::nullable(event.readerTimestamp), event.rawFrame,
                        event.readType, StoreSql::nullable(event.tagId)});
        if (event.tagId && event.streamEpoch == plan.newEpoch())
            chips.addRow({m_streamId, event.streamEpoch, *event.tagId});
    }
    QString text;
    if (!inserts.exec(m_db, &text) || !chips.exec(m_db, &text))
        return StoreSql::fail(error, StoreError::Kind::Failed, text);
    *newChips = chips.rowsAffected();
    return true;
}

bool IngestSql::updateMetrics(const QList<IngestEvent> &events, const IngestPlan &plan,
                              qint64 newChips, StoreError *error)
{
    const qsizetype canonical = plan.canonical().size();
    QStringList columns{u"stream_id"_s, u"raw_count"_s, u"dedup_count"_s,
                        u"retransmit_count"_s, u"conflict_count"_s};
    QVariantList values{m_streamId, canonical + plan.retransmits(), canonical,
                        plan.retransmits(), plan.conflicts().size()};
    QStringList sets;
    for (qsizetype i = 1; i < columns.size(); ++i)
        sets << u"%1 = stream_metrics.%1 + excluded.%1"_s.arg(columns.at(i));
    const QStringList epochColumns{u"epoch_raw_count"_s, u"epoch_dedup_count"_s,
                                   u"epoch_retransmit_count"_s, u"epoch_conflict_count"_s,
                                   u"epoch_unique_chips"_s};
    columns << epochColumns;
    values << plan.epochCanonical() + plan.epochRetransmits() << plan.epochCanonical()
           << plan.epochRetransmits() << plan.epochConflicts() << newChips;
    for (const QString &column : epochColumns) {
        sets << (plan.epochAdvanced() ? u"%1 = excluded.%1"_s
                                      : u"%1 = stream_metrics.%1 + excluded.%1"_s)
                        .arg(column);
    }
    QStringList placeholders(columns.size(), u"?"_s);
    const QString now = Dialect::of(m_db).nowExpression();
    if (canonical > 0) {
        columns << u"last_canonical_event_received_at"_s;
        placeholders << now;
        sets << u"last_canonical_event_received_at = excluded.last_canonical_event_received_at"_s;
    }
    if (plan.lastEpochCanonical() >= 0) {
        const IngestEvent &last = events.at(plan.lastEpochCanonical());
        columns << u"epoch_last_received_at"_s << u"last_tag_id"_s << u"last_reader_timestamp"_s;
        placeholders << now << u"?"_s << u"?"_s;
        values << StoreSql::nullable(last.tagId) << StoreSql::nullable(last.readerTimestamp);
        for (const QString &column : columns.mid(columns.size() - 3))
            sets << u"%1 = excluded.%1"_s.arg(column);
    } else if (plan.epochAdvanced()) {
        sets << u"epoch_last_received_at = NULL"_s << u"last_tag_id = NULL"_s
             << u"last_reader_timestamp = NULL"_s;
    }
    // Inserting the batch's own counts covers a metrics row a DB admin deleted (runbook
    // retention delete); a handful of texts, one per shape of batch, so they stay prepared.
    return run(u"INSERT INTO stream_metrics (%1) VALUES (%2) ON CONFLICT (stream_id) DO UPDATE "
               "SET %3"_s.arg(columns.join(u", "_s), placeholders.join(u", "_s),
                              sets.join(u", "_s)),
               values, error);
}

} // namespace Pitwall
