#include "vod/vodrowchange.h"

#include "core/db/database.h"
#include "relay/storesql.h"
#include "vod/vodsql.h"

#include <QSqlQuery>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

std::optional<VodRecord> selectOne(QSqlDatabase &db, const QString &sql,
                                   const QVariantList &values, StoreError *error)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!StoreSql::run(query, sql, values, error))
        return std::nullopt;
    if (!query.next()) {
        StoreSql::fail(error, StoreError::Kind::NotFound, {});
        return std::nullopt;
    }
    VodRecord vod = VodSql::record(query);
    query.finish();
    return vod;
}

bool write(QSqlDatabase &db, const VodRecord &current, const VodRowChange::Plan &plan,
           StoreError *error)
{
    QStringList sets{u"state = ?"_s};
    QVariantList values{toText(plan.to)};
    QList<VodChanges::Assignment> assignments = plan.changes.assignments();
    assignments += plan.counters;
    if (plan.lease != VodRowChange::Lease::Keep) {
        const bool take = plan.lease == VodRowChange::Lease::Take;
        assignments.append({u"lease_owner"_s, VodSql::text(take ? plan.leaseOwner : QString())});
        assignments.append({u"lease_expires_at"_s,
                            VodSql::timestamp(take ? plan.leaseExpiresAt : QDateTime())});
    }
    for (const VodChanges::Assignment &assignment : assignments) {
        sets << assignment.column + u" = ?"_s;
        values << assignment.value;
    }
    sets << u"updated_at = "_s + Dialect::of(db).nowExpression();
    values << current.id;
    QSqlQuery update(db);
    if (!StoreSql::run(update, u"UPDATE vods SET %1 WHERE id = ?"_s.arg(sets.join(u", "_s)),
                       values, error)) {
        return false;
    }
    if (plan.to == current.state && !plan.auditUnchanged)
        return true;
    QSqlQuery audit(db);
    return StoreSql::run(audit,
                         u"INSERT INTO vod_transitions (vod_id, twitch_vod_id, channel, "
                         "from_state, to_state, reason, actor, changed_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, %1)"_s.arg(
                                 Dialect::of(db).nowExpression()),
                         {current.id, current.twitchVodId, current.channel,
                          toText(current.state), toText(plan.to), plan.reason, plan.actor},
                         error);
}

} // namespace

std::optional<VodRecord> VodRowChange::run(const Database &database, const Target &target,
                                           const Decide &decide, StoreError *error)
{
    QString lock;
    if (database.dialect().isPostgres())
        lock = target.skipLocked ? u" FOR UPDATE SKIP LOCKED"_s : u" FOR UPDATE"_s;
    std::optional<VodRecord> after;
    const bool ok = StoreSql::inTransaction(database, error, [&](QSqlDatabase &db) {
        const std::optional<VodRecord> current = selectOne(
                db, u"SELECT %1 FROM vods WHERE %2%3"_s.arg(VodSql::columns(), target.where, lock),
                target.values, error);
        if (!current) {
            if (error && error->kind == StoreError::Kind::NotFound)
                error->message = target.missing;
            return false;
        }
        // A refusal is not a database failure: the rollback needs no check of the server.
        const std::optional<Plan> plan = decide(*current, error);
        if (!plan || !write(db, *current, *plan, error))
            return false;
        // Read back rather than RETURNING: SQLite's RETURNING misses what triggers changed.
        after = selectOne(db, u"SELECT %1 FROM vods WHERE id = ?"_s.arg(VodSql::columns()),
                          {current->id}, error);
        return after.has_value();
    });
    if (!ok)
        return std::nullopt;
    return after;
}

} // namespace Pitwall
