#include "relay/streamstore.h"

#include "core/db/database.h"
#include "core/db/transaction.h"
#include "relay/storesql.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The current epoch's name comes from the metadata row of (stream, current epoch).
const QString streamSelect =
        u"SELECT CAST(s.stream_id AS TEXT), s.forwarder_id, s.reader_ip, s.display_alias, "
        "s.forwarder_display_name, s.stream_epoch, m.name, s.pending_epoch, s.online, "
        "s.reader_connected, s.created_at FROM streams s "
        "LEFT JOIN stream_epoch_metadata m "
        "ON m.stream_id = s.stream_id AND m.stream_epoch = s.stream_epoch"_s;

StreamInfo streamInfo(const QSqlQuery &query)
{
    StreamInfo info;
    info.streamId = query.value(0).toString();
    info.forwarderId = query.value(1).toString();
    info.readerIp = query.value(2).toString();
    info.displayAlias = StoreSql::optionalString(query.value(3));
    info.forwarderDisplayName = StoreSql::optionalString(query.value(4));
    info.streamEpoch = query.value(5).toLongLong();
    info.currentEpochName = StoreSql::optionalString(query.value(6));
    info.pendingEpoch = StoreSql::optionalInt(query.value(7));
    info.online = query.value(8).toBool();
    info.readerConnected = query.value(9).toBool();
    info.createdAt = StoreSql::timestamp(query.value(10));
    return info;
}

std::optional<QDateTime> optionalTimestamp(const QVariant &value)
{
    const QDateTime time = StoreSql::timestamp(value);
    return time.isValid() ? std::optional(time) : std::nullopt;
}

bool notFound(StoreError *error, const QString &streamId)
{
    return StoreSql::fail(error, StoreError::Kind::NotFound,
                          u"stream %1 not found"_s.arg(streamId));
}

// The stream's current epoch, or nullopt (NotFound when there is no such stream).
std::optional<qint64> currentEpoch(QSqlQuery &query, const QString &streamId, StoreError *error)
{
    if (!StoreSql::run(query, u"SELECT stream_epoch FROM streams WHERE stream_id = ?"_s,
                       {streamId}, error)) {
        return std::nullopt;
    }
    if (!query.next()) {
        notFound(error, streamId);
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

} // namespace

std::optional<QList<StreamInfo>> StreamStore::list(StoreError *error) const
{
    return select({}, {}, error);
}

std::optional<StreamInfo> StreamStore::get(const QString &streamId, StoreError *error) const
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id)
        return std::nullopt;
    return selectOne(u"s.stream_id = ?"_s, {*id}, u"stream %1 not found"_s.arg(*id), error);
}

std::optional<StreamInfo> StreamStore::find(const QString &forwarderId, const QString &readerIp,
                                            StoreError *error) const
{
    return selectOne(u"s.forwarder_id = ? AND s.reader_ip = ?"_s, {forwarderId, readerIp},
                     u"no stream for %1/%2"_s.arg(forwarderId, readerIp), error);
}

std::optional<QList<StreamInfo>> StreamStore::forForwarder(const QString &forwarderId,
                                                           StoreError *error) const
{
    return select(u"s.forwarder_id = ?"_s, {forwarderId}, error);
}

bool StreamStore::rename(const QString &streamId, const QString &alias, StoreError *error) const
{
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return false;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    if (!StoreSql::run(query, u"UPDATE streams SET display_alias = ? WHERE stream_id = ?"_s,
                       {alias, id}, error)) {
        return false;
    }
    return query.numRowsAffected() > 0 || notFound(error, id);
}

std::optional<QList<EpochInfo>> StreamStore::epochs(const QString &streamId,
                                                    StoreError *error) const
{
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return std::nullopt;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    const std::optional<qint64> current = currentEpoch(query, id, error);
    if (!current)
        return std::nullopt;
    // Events are aggregated per epoch in one pass over the stream's primary-key range; named
    // epochs without events join in with zero counts.
    if (!StoreSql::run(query,
                       u"SELECT epoch, MAX(name), CAST(SUM(event_count) AS BIGINT), MIN(first_at), "
                       "MAX(last_at) FROM ("
                       "SELECT stream_epoch AS epoch, NULL AS name, COUNT(*) AS event_count, "
                       "MIN(received_at) AS first_at, MAX(received_at) AS last_at FROM events "
                       "WHERE stream_id = ? GROUP BY stream_epoch "
                       "UNION ALL SELECT stream_epoch, name, 0, NULL, NULL "
                       "FROM stream_epoch_metadata WHERE stream_id = ?"
                       ") known GROUP BY epoch ORDER BY epoch"_s,
                       {id, id}, error)) {
        return std::nullopt;
    }
    QList<EpochInfo> epochs;
    while (query.next()) {
        EpochInfo epoch;
        epoch.epoch = query.value(0).toLongLong();
        epoch.name = StoreSql::optionalString(query.value(1));
        epoch.eventCount = query.value(2).toLongLong();
        epoch.firstEventAt = optionalTimestamp(query.value(3));
        epoch.lastEventAt = optionalTimestamp(query.value(4));
        epoch.isCurrent = epoch.epoch == *current;
        epochs.append(epoch);
    }
    return epochs;
}

bool StreamStore::setEpochName(const QString &streamId, qint64 epoch,
                               const std::optional<QString> &name, StoreError *error) const
{
    if (epoch < 1) {
        return StoreSql::fail(error, StoreError::Kind::Invalid,
                              u"epoch must be >= 1 (got %1)"_s.arg(epoch));
    }
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return false;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    if (!currentEpoch(query, id, error))
        return false;
    const QString trimmed = name.value_or(QString()).trimmed();
    // A row holds nothing but the name, so clearing the name removes the row.
    if (trimmed.isEmpty()) {
        return StoreSql::run(query,
                             u"DELETE FROM stream_epoch_metadata "
                             "WHERE stream_id = ? AND stream_epoch = ?"_s,
                             {id, epoch}, error);
    }
    return StoreSql::run(query,
                         u"INSERT INTO stream_epoch_metadata (stream_id, stream_epoch, name) "
                         "VALUES (?, ?, ?) ON CONFLICT (stream_id, stream_epoch) "
                         "DO UPDATE SET name = excluded.name"_s,
                         {id, epoch, trimmed}, error);
}

bool StreamStore::markOnline(const QString &forwarderId, const QStringList &readerIps,
                             const std::optional<QString> &displayName, StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return false;
    Transaction tx(db);
    const auto bail = [&](const QString &text) {
        StoreSql::abort(m_database, tx, error, text);
        return false;
    };
    if (!tx.isActive())
        return bail(tx.error());
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"UPDATE streams SET forwarder_display_name = ? WHERE forwarder_id = ?"_s,
                       {StoreSql::nullable(displayName), forwarderId}, error)) {
        return bail({});
    }
    if (!readerIps.isEmpty()) {
        QStringList placeholders(readerIps.size(), u"?"_s);
        QVariantList values{forwarderId};
        for (const QString &readerIp : readerIps)
            values.append(readerIp);
        if (!StoreSql::run(query,
                           u"UPDATE streams SET online = TRUE WHERE forwarder_id = ? "
                           "AND reader_ip IN (%1)"_s.arg(placeholders.join(u", "_s)),
                           values, error)) {
            return bail({});
        }
    }
    if (!tx.commit())
        return bail(tx.error());
    return true;
}

bool StreamStore::markOffline(const QString &forwarderId, StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    return StoreSql::run(query,
                         u"UPDATE streams SET online = FALSE, reader_connected = FALSE "
                         "WHERE forwarder_id = ?"_s,
                         {forwarderId}, error);
}

bool StreamStore::setReaderConnected(const QString &streamId, bool connected,
                                     StoreError *error) const
{
    const auto stream = StoreSql::openStream(m_database, streamId, error);
    if (!stream)
        return false;
    const QString &id = stream->id;
    QSqlQuery query(stream->db);
    // A status report that arrives after the session ended must not resurrect the reader.
    if (!StoreSql::run(query,
                       u"UPDATE streams SET reader_connected = ? "
                       "WHERE stream_id = ? AND (online OR ?)"_s,
                       {connected, id, !connected}, error)) {
        return false;
    }
    return query.numRowsAffected() > 0 || currentEpoch(query, id, error).has_value();
}

std::optional<int> StreamStore::markAllOffline(StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"UPDATE streams SET online = FALSE, reader_connected = FALSE "
                       "WHERE online OR reader_connected"_s,
                       {}, error)) {
        return std::nullopt;
    }
    return query.numRowsAffected();
}

std::optional<QList<StreamInfo>> StreamStore::select(const QString &where,
                                                     const QVariantList &values,
                                                     StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    const QString filter = where.isEmpty() ? QString() : u" WHERE "_s + where;
    if (!StoreSql::run(query, streamSelect + filter + u" ORDER BY s.created_at, s.stream_id"_s,
                       values, error)) {
        return std::nullopt;
    }
    QList<StreamInfo> streams;
    while (query.next())
        streams.append(streamInfo(query));
    return streams;
}

std::optional<StreamInfo> StreamStore::selectOne(const QString &where, const QVariantList &values,
                                                 const QString &missing, StoreError *error) const
{
    const std::optional<QList<StreamInfo>> streams = select(where, values, error);
    if (!streams)
        return std::nullopt;
    if (streams->isEmpty()) {
        StoreSql::fail(error, StoreError::Kind::NotFound, missing);
        return std::nullopt;
    }
    return streams->first();
}

} // namespace Pitwall
