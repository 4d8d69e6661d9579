#include "relay/cursorstore.h"

#include "core/db/database.h"
#include "relay/storesql.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

bool CursorStore::upsertCursor(const QString &receiverId, const QString &streamId, qint64 epoch,
                              qint64 seq, StoreError *error) const
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id)
        return false;
    if (receiverId.isEmpty() || epoch < 1 || seq < 0) {
        return StoreSql::fail(error, StoreError::Kind::Invalid,
                              u"cursor needs a receiver id, epoch >= 1 and seq >= 0 "
                              "(got \"%1\", %2, %3)"_s.arg(receiverId).arg(epoch).arg(seq));
    }
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    // The WHERE on the update keeps the cursor monotonic even with acks arriving out of order.
    return StoreSql::run(query,
                         u"INSERT INTO receiver_cursors (receiver_id, stream_id, stream_epoch, "
                         "last_seq, updated_at) VALUES (?, ?, ?, ?, %1) "
                         "ON CONFLICT (receiver_id, stream_id, stream_epoch) DO UPDATE SET "
                         "last_seq = excluded.last_seq, updated_at = excluded.updated_at "
                         "WHERE receiver_cursors.last_seq < excluded.last_seq"_s.arg(
                                 Dialect::of(db).nowExpression()),
                         {receiverId, *id, epoch, seq}, error);
}

std::optional<QList<ReceiverCursor>> CursorStore::cursors(StoreError *error,
                                                         const QString &receiverId,
                                                         const QString &streamId) const
{
    QString filter;
    QVariantList values;
    if (!receiverId.isEmpty()) {
        filter = u" WHERE receiver_id = ?"_s;
        values << receiverId;
        if (!streamId.isEmpty()) {
            const std::optional<QString> id = StoreSql::streamId(streamId, error);
            if (!id)
                return std::nullopt;
            filter += u" AND stream_id = ?"_s;
            values << *id;
        }
    }
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"SELECT receiver_id, CAST(stream_id AS TEXT), stream_epoch, last_seq, "
                       "updated_at FROM receiver_cursors%1 "
                       "ORDER BY receiver_id, stream_id, stream_epoch"_s.arg(filter),
                       values, error)) {
        return std::nullopt;
    }
    QList<ReceiverCursor> cursors;
    while (query.next()) {
        cursors.append({query.value(0).toString(), query.value(1).toString(),
                        query.value(2).toLongLong(), query.value(3).toLongLong(),
                        StoreSql::timestamp(query.value(4))});
    }
    return cursors;
}

std::optional<int> CursorStore::deleteCursors(const QString &receiverId,
                                             const std::optional<QString> &streamId,
                                             StoreError *error) const
{
    QVariantList values{receiverId};
    QString sql = u"DELETE FROM receiver_cursors WHERE receiver_id = ?"_s;
    if (streamId) {
        const std::optional<QString> id = StoreSql::streamId(*streamId, error);
        if (!id)
            return std::nullopt;
        sql += u" AND stream_id = ?"_s;
        values << *id;
    }
    return remove(sql, values, error);
}

std::optional<int> CursorStore::deleteAllCursors(StoreError *error) const
{
    return remove(u"DELETE FROM receiver_cursors"_s, {}, error);
}

std::optional<int> CursorStore::remove(const QString &sql, const QVariantList &values,
                                      StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    if (!StoreSql::run(query, sql, values, error))
        return std::nullopt;
    return query.numRowsAffected();
}

} // namespace Pitwall
