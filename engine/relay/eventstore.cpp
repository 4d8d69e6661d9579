#include "relay/eventstore.h"

#include "core/db/database.h"
#include "core/db/multirowinsert.h"
#include "core/db/transaction.h"
#include "core/log/logcategories.h"
#include "relay/ingestplan.h"
#include "relay/ingestsql.h"
#include "relay/storesql.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// StoredEvent's columns in its order; received_at last, as replays leave it out.
const QString eventColumns = u"stream_epoch, seq, reader_timestamp, raw_frame, read_type, tag_id"_s;

StoredEvent storedEvent(const QSqlQuery &query, bool withReceivedAt)
{
    return {{query.value(0).toLongLong(),
             query.value(1).toLongLong(),
             StoreSql::optionalString(query.value(2)),
             query.value(3).toByteArray(),
             query.value(4).toString(),
             StoreSql::optionalString(query.value(5))},
            withReceivedAt ? StoreSql::timestamp(query.value(6)) : QDateTime()};
}

} // namespace

std::optional<StreamRecord> EventStore::ensureStream(const QString &forwarderId,
                                                  const QString &readerIp,
                                                  StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    Transaction tx(db);
    const auto bail = [&](const QString &text) {
        StoreSql::abort(m_database, tx, error, text);
        return std::nullopt;
    };
    if (!tx.isActive())
        return bail(tx.error());
    StreamRecord ref;
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"INSERT INTO streams (stream_id, forwarder_id, reader_ip) VALUES (?, ?, ?) "
                       "ON CONFLICT (forwarder_id, reader_ip) DO NOTHING"_s,
                       {QUuid::createUuid().toString(QUuid::WithoutBraces), forwarderId, readerIp},
                       error)) {
        return bail({});
    }
    ref.created = query.numRowsAffected() > 0;
    if (!StoreSql::run(query,
                       u"SELECT CAST(stream_id AS TEXT), stream_epoch, pending_epoch FROM streams "
                       "WHERE forwarder_id = ? AND reader_ip = ?"_s,
                       {forwarderId, readerIp}, error)
        || !query.next()) {
        return bail({});
    }
    ref.streamId = query.value(0).toString();
    ref.streamEpoch = query.value(1).toLongLong();
    ref.pendingEpoch = StoreSql::optionalInt(query.value(2));
    if (!StoreSql::run(query,
                       u"INSERT INTO stream_metrics (stream_id) VALUES (?) ON CONFLICT DO NOTHING"_s,
                       {ref.streamId}, error)) {
        return bail({});
    }
    if (!tx.commit())
        return bail(tx.error());
    if (ref.created)
        qCInfo(lcDb).noquote() << "relay stream" << ref.streamId << "created for" << forwarderId
                               << readerIp;
    return ref;
}

std::optional<IngestResult> EventStore::ingest(const QString &streamId,
                                               const QList<IngestEvent> &events,
                                               StoreError *error,
                                               const std::optional<Notification> &notify) const
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id || !IngestSql::validate(events, error))
        return std::nullopt;
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    Transaction tx(db);
    const auto bail = [&](const QString &text) {
        StoreSql::abort(m_database, tx, error, text);
        return std::nullopt;
    };
    if (!tx.isActive())
        return bail(tx.error());

    // The row lock serializes batches of one stream across connections (SQLite's BEGIN
    // IMMEDIATE already serializes all writers).
    const Dialect dialect = Dialect::of(db);
    QSqlQuery local(db);
    QSqlQuery *query = StoreSql::runPrepared(
            m_database, db, local,
            u"SELECT stream_epoch, forwarder_id, reader_ip FROM streams WHERE stream_id = ?"_s
                    + (dialect.isPostgres() ? u" FOR UPDATE"_s : QString()),
            {*id}, error);
    if (!query)
        return bail({});
    if (!query->next()) {
        bail({});
        StoreSql::fail(error, StoreError::Kind::NotFound, u"stream %1 not found"_s.arg(*id));
        return std::nullopt;
    }
    const qint64 currentEpoch = query->value(0).toLongLong();
    const QString source = query->value(1).toString() + u'/' + query->value(2).toString();

    IngestSql sql(m_database, db, *id);
    QHash<EventKey, QByteArray> stored;
    if (!sql.storedFrames(events, &stored, error))
        return bail({});
    const IngestPlan plan(events, stored, currentEpoch);
    qint64 newChips = 0;
    if (!sql.insertCanonical(events, plan, &newChips, error))
        return bail({});
    MultiRowInsert conflicts(u"event_conflicts"_s,
                             {u"stream_id"_s, u"stream_epoch"_s, u"seq"_s, u"raw_frame"_s});
    for (const qsizetype index : plan.conflicts()) {
        const IngestEvent &event = events.at(index);
        conflicts.addRow({*id, event.streamEpoch, event.seq, event.rawFrame});
    }
    QString text;
    if (!conflicts.exec(db, &text))
        return bail(text);
    if (!sql.updateMetrics(events, plan, newChips, error))
        return bail({});
    if (plan.epochAdvanced()
        && !StoreSql::run(local,
                          u"UPDATE streams SET stream_epoch = ?, pending_epoch = CASE WHEN "
                          "pending_epoch <= ? THEN NULL ELSE pending_epoch END "
                          "WHERE stream_id = ?"_s,
                          {plan.newEpoch(), plan.newEpoch(), *id}, error)) {
        return bail({});
    }
    // Inside the transaction: PostgreSQL delivers it at commit, without a round trip of its own.
    if (notify && dialect.isPostgres() && !plan.canonical().isEmpty()
        && !StoreSql::runPrepared(m_database, db, local, u"SELECT pg_notify(?, ?)"_s,
                                  {notify->channel, notify->payload}, error)) {
        return bail({});
    }
    if (!tx.commit())
        return bail(tx.error());

    IngestResult result;
    result.inserted = int(plan.canonical().size());
    result.canonical = plan.canonical();
    result.retransmits = plan.retransmits();
    for (const qsizetype index : plan.conflicts()) {
        const IngestEvent &event = events.at(index);
        result.conflicts.append({event.streamEpoch, event.seq});
        qCWarning(lcDb).noquote() << u"INTEGRITY_CONFLICT: integrity conflict: %1 epoch=%2 seq=%3 "
                                     "- payload mismatch, keeping original (stream %4)"_s
                                             .arg(source)
                                             .arg(event.streamEpoch)
                                             .arg(event.seq)
                                             .arg(*id);
    }
    result.acks = plan.acks();
    result.streamEpoch = plan.newEpoch();
    result.epochAdvanced = plan.epochAdvanced();
    return result;
}

std::optional<qint64> EventStore::requestEpochReset(const QString &streamId,
                                                   StoreError *error) const
{
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return std::nullopt;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    if (!StoreSql::run(query,
                       u"UPDATE streams SET pending_epoch = stream_epoch + 1 WHERE stream_id = ? "
                       "AND (pending_epoch IS NULL OR pending_epoch <= stream_epoch)"_s,
                       {id}, error)
        || !StoreSql::run(query, u"SELECT pending_epoch FROM streams WHERE stream_id = ?"_s,
                          {id}, error)) {
        return std::nullopt;
    }
    if (!query.next()) {
        StoreSql::fail(error, StoreError::Kind::NotFound, u"stream %1 not found"_s.arg(id));
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

std::optional<StreamMetrics> EventStore::metrics(const QString &streamId, StoreError *error) const
{
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return std::nullopt;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    if (!StoreSql::run(query,
                       u"SELECT m.raw_count, m.dedup_count, m.retransmit_count, m.conflict_count, "
                       "m.last_canonical_event_received_at, m.epoch_raw_count, "
                       "m.epoch_dedup_count, m.epoch_retransmit_count, m.epoch_conflict_count, "
                       "m.epoch_last_received_at, m.last_tag_id, m.last_reader_timestamp, "
                       "s.stream_epoch, s.pending_epoch, m.epoch_unique_chips FROM streams s "
                       "LEFT JOIN stream_metrics m ON m.stream_id = s.stream_id "
                       "WHERE s.stream_id = ?"_s,
                       {id}, error)) {
        return std::nullopt;
    }
    if (!query.next()) {
        StoreSql::fail(error, StoreError::Kind::NotFound, u"stream %1 not found"_s.arg(id));
        return std::nullopt;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto lag = [&now](const QDateTime &since) -> std::optional<qint64> {
        if (!since.isValid())
            return std::nullopt;
        return std::max<qint64>(0, since.msecsTo(now));
    };
    StreamMetrics metrics;
    metrics.rawCount = query.value(0).toLongLong();
    metrics.dedupCount = query.value(1).toLongLong();
    metrics.retransmitCount = query.value(2).toLongLong();
    metrics.conflictCount = query.value(3).toLongLong();
    metrics.lagMs = lag(StoreSql::timestamp(query.value(4)));
    metrics.epochRawCount = query.value(5).toLongLong();
    metrics.epochDedupCount = query.value(6).toLongLong();
    metrics.epochRetransmitCount = query.value(7).toLongLong();
    metrics.epochConflictCount = query.value(8).toLongLong();
    metrics.epochLastReceivedAt = StoreSql::timestamp(query.value(9));
    metrics.epochLagMs = lag(metrics.epochLastReceivedAt);
    metrics.lastTagId = StoreSql::optionalString(query.value(10));
    metrics.lastReaderTimestamp = StoreSql::optionalString(query.value(11));
    metrics.streamEpoch = query.value(12).toLongLong();
    metrics.pendingEpoch = StoreSql::optionalInt(query.value(13));
    metrics.uniqueChips = query.value(14).toLongLong();

    // The backlog reads the current epoch through the primary key.
    const QVariantList scope{id, metrics.streamEpoch};
    if (!StoreSql::run(query,
                       u"SELECT COUNT(*) FROM events WHERE stream_id = ? AND stream_epoch = ? "
                       "AND seq > (SELECT MIN(last_seq) FROM receiver_cursors "
                       "WHERE stream_id = ? AND stream_epoch = ?)"_s,
                       scope + scope, error)
        || !query.next()) {
        return std::nullopt;
    }
    metrics.backlog = query.value(0).toLongLong();
    return metrics;
}

std::optional<QList<StoredEvent>> EventStore::eventsAfter(const QString &streamId, qint64 epoch,
                                                          qint64 afterSeq, StoreError *error,
                                                          int limit) const
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id)
        return std::nullopt;
    return page(*id, epoch, {epoch, afterSeq}, limit, true, error);
}

std::optional<QList<StoredEvent>> EventStore::page(const QString &streamId,
                                                   std::optional<qint64> epoch, EventKey after,
                                                   int limit, bool withReceivedAt,
                                                   StoreError *error) const
{
    if (limit < 1) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"page size must be >= 1 (got %1)"_s.arg(limit));
        return std::nullopt;
    }
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QVariantList values{streamId};
    QString sql = u"SELECT %1%2 FROM events WHERE stream_id = ?"_s.arg(
            eventColumns, withReceivedAt ? u", received_at"_s : QString());
    if (epoch) {
        sql += u" AND stream_epoch = ?"_s;
        values << *epoch;
    }
    // Keyset paging: each page is its own short query, so no result set stays open between
    // chunks and nothing beyond one page is held in memory.
    sql += u" AND (stream_epoch, seq) > (?, ?) ORDER BY stream_epoch, seq LIMIT ?"_s;
    values << after.epoch << after.seq << limit;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!StoreSql::run(query, sql, values, error))
        return std::nullopt;
    QList<StoredEvent> events;
    while (query.next())
        events.append(storedEvent(query, withReceivedAt));
    // SQLite reports a failure met while stepping through rows only here: without this check
    // a page would end early and look complete.
    if (query.lastError().isValid()) {
        StoreSql::fail(error, StoreError::Kind::Failed, query.lastError().text());
        return std::nullopt;
    }
    return events;
}

std::optional<QList<StoredEvent>> EventStore::eventsFrom(const QString &streamId, EventKey after,
                                                         std::optional<qint64> epoch, int limit,
                                                         StoreError *error) const
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id)
        return std::nullopt;
    return page(*id, epoch, after, limit, false, error);
}

std::optional<EventKey> EventStore::lastKey(const QString &streamId, std::optional<qint64> epoch,
                                            StoreError *error) const
{
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return std::nullopt;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    QVariantList values{id};
    QString scope;
    if (epoch) {
        scope = u" AND stream_epoch = ?"_s;
        values << *epoch;
    }
    if (!StoreSql::run(query,
                       u"SELECT stream_epoch, seq FROM events WHERE stream_id = ?%1 "
                       "ORDER BY stream_epoch DESC, seq DESC LIMIT 1"_s.arg(scope),
                       values, error)) {
        return std::nullopt;
    }
    if (!query.next())
        return EventKey{};
    return EventKey{query.value(0).toLongLong(), query.value(1).toLongLong()};
}

bool EventStore::exportRows(const QString &streamId, std::optional<qint64> epoch,
                            const ChunkSink &chunk, StoreError *error, int chunkSize) const
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id)
        return false;
    {
        QSqlDatabase db = StoreSql::open(m_database, error);
        if (!db.isOpen())
            return false;
        QSqlQuery query(db);
        if (!StoreSql::run(query, u"SELECT 1 FROM streams WHERE stream_id = ?"_s, {*id}, error))
            return false;
        if (!query.next())
            return StoreSql::fail(error, StoreError::Kind::NotFound,
                                  u"stream %1 not found"_s.arg(*id));
    }
    EventKey after{epoch.value_or(0), 0};
    for (;;) {
        const std::optional<QList<StoredEvent>> rows =
                page(*id, epoch, after, chunkSize, true, error);
        if (!rows)
            return false;
        if (rows->isEmpty() || !chunk(*rows))
            return true;
        after = {rows->last().streamEpoch, rows->last().seq};
        if (rows->size() < chunkSize)
            return true;
    }
}

} // namespace Pitwall
