#include "vod/chatstore.h"

#include "core/db/database.h"
#include "core/db/multirowinsert.h"
#include "relay/storesql.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QStringList insertColumns{
        u"channel"_s,       u"vod_id"_s,        u"message_id"_s,        u"user_id"_s,
        u"username"_s,      u"display_name"_s,  u"message"_s,           u"abs_timestamp"_s,
        u"rel_timestamp"_s, u"badges"_s,        u"emotes"_s,            u"color"_s,
        u"reply_to_id"_s,   u"reply_to_username"_s, u"reply_to_message"_s};

// The same columns read back, with the row id first.
const QString selectColumns =
        u"SELECT id, "_s + insertColumns.join(u", "_s) + u" FROM chat_messages"_s;

// Empty text is stored as NULL where NULL means "not sent": a message without an id must not
// collide with another one in the unique (channel, message_id) index.
QVariant optionalText(const QString &text)
{
    return StoreSql::nullable(text.isEmpty() ? std::nullopt : std::optional<QString>(text));
}

QVariantList rowValues(const StoredChatMessage &row)
{
    const ChatMessage &m = row.message;
    return {m.channel,
            row.vodId,
            optionalText(m.messageId),
            optionalText(m.userId),
            m.username,
            optionalText(m.displayName),
            m.text,
            ChatStore::timestampValue(m.sentAt),
            row.relTimestamp,
            m.badges.join(u','),
            m.emotes.join(u','),
            optionalText(m.color),
            optionalText(m.replyToId),
            optionalText(m.replyToUsername),
            optionalText(m.replyToMessage)};
}

QStringList list(const QVariant &value)
{
    return value.toString().split(u',', Qt::SkipEmptyParts);
}

// A row of selectColumns; NULL in any text column reads as "".
StoredChatMessage readRow(const QSqlQuery &query)
{
    StoredChatMessage row;
    row.id = query.value(0).toLongLong();
    ChatMessage &m = row.message;
    m.channel = query.value(1).toString();
    row.vodId = query.value(2).toString();
    m.messageId = query.value(3).toString();
    m.userId = query.value(4).toString();
    m.username = query.value(5).toString();
    m.displayName = query.value(6).toString();
    m.text = query.value(7).toString();
    m.sentAt = StoreSql::timestamp(query.value(8));
    row.relTimestamp = query.value(9).toDouble();
    m.badges = list(query.value(10));
    m.emotes = list(query.value(11));
    m.color = query.value(12).toString();
    m.replyToId = query.value(13).toString();
    m.replyToUsername = query.value(14).toString();
    m.replyToMessage = query.value(15).toString();
    return row;
}

} // namespace

QString ChatStore::timestampValue(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

std::optional<int> ChatStore::insert(const QList<StoredChatMessage> &rows,
                                     StoreError *error) const
{
    if (rows.isEmpty())
        return 0;
    MultiRowInsert insert(u"chat_messages"_s, insertColumns, u"ON CONFLICT DO NOTHING"_s);
    for (const StoredChatMessage &row : rows)
        insert.addRow(rowValues(row));
    return StoreSql::insertAll(m_database, insert, error);
}

std::optional<QList<StoredChatMessage>> ChatStore::messages(const QString &vodId,
                                                            const ChatQuery &query,
                                                            StoreError *error) const
{
    QString sql = selectColumns + u" WHERE vod_id = ?"_s;
    QVariantList values{vodId};
    if (query.from) {
        sql += u" AND rel_timestamp >= ?"_s;
        values << *query.from;
    }
    if (query.to) {
        sql += u" AND rel_timestamp <= ?"_s;
        values << *query.to;
    }
    if (query.after) {
        sql += u" AND (rel_timestamp > ? OR (rel_timestamp = ? AND id > ?))"_s;
        values << query.after->relTimestamp << query.after->relTimestamp << query.after->id;
    }
    sql += u" ORDER BY rel_timestamp, id LIMIT ?"_s;
    values << std::max(query.limit, 0);
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery select(db);
    select.setForwardOnly(true);
    if (!StoreSql::run(select, sql, values, error))
        return std::nullopt;
    QList<StoredChatMessage> rows;
    while (select.next())
        rows.append(readRow(select));
    return rows;
}

std::optional<StoredChatMessage> ChatStore::message(const QString &vodId, qint64 id,
                                                    StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery select(db);
    if (!StoreSql::run(select, selectColumns + u" WHERE vod_id = ? AND id = ?"_s, {vodId, id},
                       error)) {
        return std::nullopt;
    }
    if (!select.next()) {
        StoreSql::fail(error, StoreError::Kind::NotFound,
                       u"no chat message %1 in %2"_s.arg(id).arg(vodId));
        return std::nullopt;
    }
    return readRow(select);
}

} // namespace Pitwall
