#include "vod/livesessionstore.h"

#include "core/db/database.h"
#include "relay/storesql.h"
#include "vod/chatstore.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr QLatin1StringView sessionColumns(
        "id, channel, placeholder_id, started_at, title, ended_at, reconciled_vod_id, "
        "reconciled_at");

LiveSession readSession(const QSqlQuery &query)
{
    return {query.value(0).toLongLong(),   query.value(1).toString(),
            query.value(2).toString(),     StoreSql::timestamp(query.value(3)),
            query.value(4).toString(),     StoreSql::timestamp(query.value(5)),
            query.value(6).toString(),     StoreSql::timestamp(query.value(7))};
}

} // namespace

std::optional<LiveSession> LiveSessionStore::begin(const QString &channel,
                                                   const QDateTime &startedAt,
                                                   const QString &title, StoreError *error) const
{
    if (channel.isEmpty() || !startedAt.isValid()) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"a live session needs a channel and a start time"_s);
        return std::nullopt;
    }
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"INSERT INTO live_sessions (channel, placeholder_id, started_at, title) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (channel, placeholder_id) DO UPDATE SET "
                       "ended_at = NULL, title = excluded.title RETURNING "_s + sessionColumns,
                       {channel, LiveSession::placeholderFor(startedAt),
                        ChatStore::timestampValue(startedAt), title},
                       error)
        || !query.next()) {
        if (error && error->kind == StoreError::Kind::None)
            *error = {StoreError::Kind::Failed, u"live session insert returned no row"_s};
        return std::nullopt;
    }
    return readSession(query);
}

bool LiveSessionStore::end(const LiveSession &session, const QDateTime &endedAt,
                           StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    return StoreSql::run(query, u"UPDATE live_sessions SET ended_at = ? WHERE id = ?"_s,
                         {ChatStore::timestampValue(endedAt), session.id}, error);
}

std::optional<QList<LiveSession>> LiveSessionStore::unreconciled(const QString &channel,
                                                                 StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"SELECT "_s + sessionColumns
                               + u" FROM live_sessions WHERE channel = ? AND "
                                 "reconciled_vod_id IS NULL ORDER BY started_at"_s,
                       {channel}, error)) {
        return std::nullopt;
    }
    QList<LiveSession> sessions;
    while (query.next())
        sessions.append(readSession(query));
    return sessions;
}

std::optional<int> LiveSessionStore::reconcile(const LiveSession &session, const ArchivedVod &vod,
                                               StoreError *error) const
{
    if (vod.twitchVodId.isEmpty() || vod.twitchVodId.startsWith(u"live-"_s)) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"\"%1\" is not an archived VOD id"_s.arg(vod.twitchVodId));
        return std::nullopt;
    }
    // Chat offsets were taken from the broadcast's start; the archive starts a little later.
    const double shift =
            double(vod.createdAt.toMSecsSinceEpoch() - session.startedAt.toMSecsSinceEpoch())
            / 1000.0;
    int moved = 0;
    const bool ok = StoreSql::inTransaction(m_database, error, [&](QSqlDatabase &db) {
        QSqlQuery upsert(db);
        QSqlQuery move(db);
        QSqlQuery mark(db);
        const bool done =
                StoreSql::run(upsert,
                              u"INSERT INTO vods (twitch_vod_id, channel, title, date, "
                              "duration_seconds) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                              "(twitch_vod_id) DO UPDATE SET title = excluded.title, "
                              "date = excluded.date, "
                              "duration_seconds = excluded.duration_seconds"_s,
                              {vod.twitchVodId, session.channel, vod.title,
                               ChatStore::timestampValue(vod.createdAt), vod.durationSeconds},
                              error)
                && StoreSql::run(move,
                                 u"UPDATE chat_messages SET vod_id = ?, rel_timestamp = "
                                 "rel_timestamp - ? WHERE channel = ? AND vod_id = ?"_s,
                                 {vod.twitchVodId, shift, session.channel, session.placeholderId},
                                 error)
                && StoreSql::run(mark,
                                 u"UPDATE live_sessions SET reconciled_vod_id = ?, "
                                 "reconciled_at = %1 WHERE id = ?"_s.arg(
                                         Dialect::of(db).nowExpression()),
                                 {vod.twitchVodId, session.id}, error);
        moved = move.numRowsAffected();
        return done;
    });
    if (!ok)
        return std::nullopt;
    return moved;
}

} // namespace Pitwall
