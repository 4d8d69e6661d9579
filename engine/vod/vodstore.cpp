#include "vod/vodstore.h"

#include "core/db/database.h"
#include "core/db/multirowinsert.h"
#include "relay/storesql.h"
#include "vod/vodsql.h"
#include "vod/vodtransitions.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QString unknownVod(const QString &twitchVodId)
{
    return u"VOD \"%1\" not found"_s.arg(twitchVodId);
}

} // namespace

std::optional<int> VodStore::upsertDiscovered(const QString &channel,
                                              const QList<DiscoveredVod> &vods,
                                              StoreError *error) const
{
    MultiRowInsert insert(u"vods"_s,
                          {u"twitch_vod_id"_s, u"channel"_s, u"title"_s, u"date"_s,
                           u"duration_seconds"_s},
                          u"ON CONFLICT (twitch_vod_id) DO NOTHING"_s);
    for (const DiscoveredVod &vod : vods) {
        // Live sessions live in live_sessions: a placeholder must never enter the queue.
        if (vod.id.isEmpty() || vod.id.startsWith(u"live-"_s) || !vod.date.isValid()) {
            StoreSql::fail(error, StoreError::Kind::Invalid,
                           u"\"%1\" is not an archived VOD with a date"_s.arg(vod.id));
            return std::nullopt;
        }
        insert.addRow({vod.id, channel, vod.title, VodSql::timestamp(vod.date),
                       vod.durationSeconds});
    }
    if (insert.rowCount() == 0)
        return 0;
    return StoreSql::insertAll(m_database, insert, error);
}

std::optional<VodRecord> VodStore::get(const QString &twitchVodId, StoreError *error) const
{
    const std::optional<QList<VodRecord>> found =
            records(u" WHERE twitch_vod_id = ?"_s, {twitchVodId}, error);
    if (!found)
        return std::nullopt;
    if (found->isEmpty()) {
        StoreSql::fail(error, StoreError::Kind::NotFound, unknownVod(twitchVodId));
        return std::nullopt;
    }
    return found->constFirst();
}

std::optional<QList<VodRecord>> VodStore::list(const VodListFilter &filter,
                                               StoreError *error) const
{
    if (filter.limit < 0 || filter.offset < 0) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"limit and offset must not be negative"_s);
        return std::nullopt;
    }
    QString tail;
    QVariantList values;
    if (!filter.channel.isEmpty()) {
        tail = u" WHERE channel = ?"_s;
        values << filter.channel;
    }
    tail += u" ORDER BY date DESC, id DESC"_s;
    if (filter.limit > 0) {
        tail += u" LIMIT ? OFFSET ?"_s;
        values << filter.limit << filter.offset;
    }
    return records(tail, values, error);
}

std::optional<VodCounts> VodStore::counts(const QString &channel, StoreError *error) const
{
    std::optional<QSqlQuery> query = select(u"SELECT state, priority, COUNT(*) FROM vods "
                                            "WHERE channel = ? GROUP BY state, priority"_s,
                                            {channel}, error);
    if (!query)
        return std::nullopt;
    VodCounts counts;
    QMap<int, qint64> pendingByPriority;
    while (query->next()) {
        const std::optional<VodState> state = vodStateFromText(query->value(0).toString());
        const qint64 rows = query->value(2).toLongLong();
        if (!state)
            continue;
        counts.byState[*state] += rows;
        if (isPending(*state)) {
            counts.pending += rows;
            pendingByPriority[query->value(1).toInt()] += rows;
        }
        if (*state == VodState::FailedRetry || *state == VodState::FailedTerminal)
            counts.errored += rows;
        if (isProcessed(*state))
            counts.processed += rows;
    }
    for (auto it = pendingByPriority.cbegin(); it != pendingByPriority.cend(); ++it)
        counts.pendingByPriority.prepend(qMakePair(it.key(), it.value())); // highest first
    std::optional<QSqlQuery> oldest =
            select(u"SELECT twitch_vod_id, date FROM vods WHERE channel = ? AND state IN (%1) "
                   "ORDER BY date, id LIMIT 1"_s.arg(VodSql::stateList(isPending)),
                   {channel}, error);
    if (!oldest)
        return std::nullopt;
    if (oldest->next()) {
        counts.oldestPendingId = oldest->value(0).toString();
        counts.oldestPendingDate = StoreSql::timestamp(oldest->value(1));
    }
    return counts;
}

std::optional<QList<VodTransitionRecord>> VodStore::history(const QString &twitchVodId,
                                                            StoreError *error) const
{
    std::optional<QSqlQuery> query =
            select(u"SELECT id, twitch_vod_id, channel, from_state, to_state, reason, actor, "
                   "changed_at FROM vod_transitions WHERE twitch_vod_id = ? ORDER BY id"_s,
                   {twitchVodId}, error);
    if (!query)
        return std::nullopt;
    QList<VodTransitionRecord> rows;
    while (query->next()) {
        const auto value = [&query](int column) { return query->value(column); };
        const auto state = [&value](int column) {
            return vodStateFromText(value(column).toString()).value_or(VodState::Queued);
        };
        rows.append({value(0).toLongLong(), value(1).toString(), value(2).toString(), state(3),
                     state(4), value(5).toString(), value(6).toString(),
                     StoreSql::timestamp(value(7))});
    }
    return rows;
}

std::optional<int> VodStore::uploadsSince(const QString &channel, const QDateTime &since,
                                          const QDateTime &backCatalogueBefore,
                                          StoreError *error) const
{
    QString sql = u"SELECT COUNT(*) FROM vods WHERE channel = ? AND uploaded_at IS NOT NULL "
                  "AND uploaded_at >= ?"_s;
    QVariantList values{channel, VodSql::timestamp(since)};
    if (backCatalogueBefore.isValid()) {
        sql += u" AND date < ?"_s;
        values << VodSql::timestamp(backCatalogueBefore);
    }
    std::optional<QSqlQuery> query = select(sql, values, error);
    if (!query || !query->next())
        return std::nullopt;
    return query->value(0).toInt();
}

std::optional<CancelResult> VodStore::cancel(const QString &twitchVodId, StoreError *error) const
{
    CancelResult result;
    const auto decide = [&result](const VodRecord &vod,
                                  StoreError *) -> std::optional<VodRowChange::Plan> {
        result.previous = vod.state;
        result.changed = VodTransitions::isAllowed(vod.state, VodState::Canceled);
        if (!result.changed)
            return std::nullopt; // nothing to cancel, and no error either
        VodRowChange::Plan plan{VodState::Canceled, u"canceled by the operator"_s,
                                u"operator"_s};
        if (vod.state == VodState::Downloading)
            plan.changes.downloadState(u"canceled"_s);
        return plan;
    };
    StoreError failure;
    std::optional<VodRecord> vod = change(
            {u"twitch_vod_id = ?"_s, {twitchVodId}, false, unknownVod(twitchVodId)}, decide,
            &failure);
    if (!vod && failure.kind == StoreError::Kind::None)
        vod = get(twitchVodId, &failure);
    if (!vod) {
        if (error)
            *error = failure;
        return std::nullopt;
    }
    result.vod = *vod;
    return result;
}

std::optional<VodRecord> VodStore::reprocess(const QString &twitchVodId, StoreError *error) const
{
    const std::optional<VodRecord> vod = get(twitchVodId, error);
    if (!vod)
        return std::nullopt;
    if (isActive(vod->state)) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"VOD \"%1\" is %2: cancel it before reprocessing"_s.arg(
                               twitchVodId, toText(vod->state)));
        return std::nullopt;
    }
    // Exactly the runbook's statement: the trigger does the rest, the same way for both.
    // The state guard keeps a row claimed since the check above out of it.
    return updateByTwitchId(
            twitchVodId, u"processed = 0, processing_error = NULL, youtube_url = NULL"_s,
            {}, error, u" AND state = ?"_s, {toText(vod->state)});
}

std::optional<VodRecord> VodStore::setPriority(const QString &twitchVodId, int priority,
                                               StoreError *error) const
{
    return updateByTwitchId(twitchVodId, u"priority = ?"_s, {priority}, error);
}

std::optional<VodRecord> VodStore::setSkipUpload(const QString &twitchVodId, bool skip,
                                                 StoreError *error) const
{
    return updateByTwitchId(twitchVodId, u"skip_upload = ?"_s, {skip}, error);
}

std::optional<VodRecord> VodStore::setDescription(const QString &twitchVodId,
                                                  const QString &description,
                                                  StoreError *error) const
{
    return updateByTwitchId(twitchVodId, u"description = ?"_s, {VodSql::text(description)},
                            error);
}

std::optional<VodRecord> VodStore::updateByTwitchId(const QString &twitchVodId,
                                                    const QString &sets,
                                                    const QVariantList &values,
                                                    StoreError *error, const QString &guard,
                                                    const QVariantList &guardValues) const
{
    if (!updateWhere(sets, u"twitch_vod_id = ?"_s + guard,
                     values + QVariantList{twitchVodId} + guardValues, error)) {
        if (error && error->kind == StoreError::Kind::NotFound)
            error->message = unknownVod(twitchVodId);
        return std::nullopt;
    }
    return get(twitchVodId, error);
}

std::optional<QSqlQuery> VodStore::select(const QString &sql, const QVariantList &values,
                                          StoreError *error) const
{
    return StoreSql::select(m_database, sql, values, error);
}

std::optional<QList<VodRecord>> VodStore::records(const QString &tail,
                                                  const QVariantList &values,
                                                  StoreError *error) const
{
    std::optional<QSqlQuery> query =
            select(u"SELECT %1 FROM vods%2"_s.arg(VodSql::columns(), tail), values, error);
    if (!query)
        return std::nullopt;
    QList<VodRecord> rows;
    while (query->next())
        rows.append(VodSql::record(*query));
    return rows;
}

bool VodStore::updateWhere(const QString &sets, const QString &where, const QVariantList &values,
                           StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    if (!StoreSql::run(query,
                       u"UPDATE vods SET %1, updated_at = %2 WHERE %3"_s.arg(
                               sets, Dialect::of(db).nowExpression(), where),
                       values, error)) {
        return false;
    }
    return query.numRowsAffected() > 0
            || StoreSql::fail(error, StoreError::Kind::NotFound, u"no matching VOD"_s);
}

std::optional<VodRecord> VodStore::change(const VodRowChange::Target &target,
                                          const VodRowChange::Decide &decide,
                                          StoreError *error) const
{
    return VodRowChange::run(m_database, target, decide, error);
}

} // namespace Pitwall
