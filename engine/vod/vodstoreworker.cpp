// VodStore, the worker's side: claims, leases and the changes a worker makes while it holds a
// row. Discovery, reads and operator actions are in vodstore.cpp.
#include "vod/vodstore.h"

#include "core/db/database.h"
#include "relay/storesql.h"
#include "vod/vodsql.h"
#include "vod/vodtransitions.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

VodRowChange::Target byId(qint64 id)
{
    return {u"id = ?"_s, {id}, false, u"VOD row %1 not found"_s.arg(id)};
}

// Whether the row is in state `from` and, for a worker, under its lease.
bool holds(const VodRecord &vod, VodState from, const QString &owner, StoreError *error)
{
    if (vod.state != from) {
        return StoreSql::fail(error, StoreError::Kind::NotFound,
                              u"VOD \"%1\" is %2, not %3"_s.arg(vod.twitchVodId,
                                                                toText(vod.state), toText(from)));
    }
    if (!owner.isEmpty() && vod.leaseOwner != owner) {
        return StoreSql::fail(error, StoreError::Kind::NotFound,
                              u"VOD \"%1\" is not held by %2 (lease owner: \"%3\")"_s.arg(
                                      vod.twitchVodId, owner, vod.leaseOwner));
    }
    return true;
}

std::nullopt_t noOwner(StoreError *error)
{
    StoreSql::fail(error, StoreError::Kind::Invalid, u"a worker's change needs its owner"_s);
    return std::nullopt;
}

QString leaseHeld(qint64 id, const QString &owner)
{
    return u"VOD row %1 is not held by %2 in an active state"_s.arg(id).arg(owner);
}

} // namespace

std::optional<VodRecord> VodStore::claimNext(const ClaimRequest &request,
                                             StoreError *error) const
{
    if (request.owner.isEmpty() || !request.now.isValid()
        || request.leaseDuration <= std::chrono::milliseconds::zero()) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"a claim needs an owner, the time and a positive lease"_s);
        return std::nullopt;
    }
    const QVariant now = VodSql::timestamp(request.now);
    QString where = u"channel = ? AND state IN (%1) AND (next_attempt_at IS NULL OR "
                    "next_attempt_at <= ?) AND (lease_expires_at IS NULL OR "
                    "lease_expires_at <= ?)"_s.arg(VodSql::stateList(isPending));
    QVariantList values{request.channel, now, now};
    if (request.notDatedBefore.isValid()) {
        where += u" AND date >= ?"_s;
        values << VodSql::timestamp(request.notDatedBefore);
    }
    where += u" ORDER BY priority DESC, date, id LIMIT 1"_s;
    const QDateTime expires = request.now.addMSecs(request.leaseDuration.count());
    const auto decide = [&](const VodRecord &vod,
                            StoreError *refusal) -> std::optional<VodRowChange::Plan> {
        const VodState to = vod.downloadComplete() ? VodState::Downloaded : VodState::Downloading;
        if (!VodTransitions::isAllowed(vod.state, to)) {
            StoreSql::fail(refusal, StoreError::Kind::Invalid,
                           u"claiming VOD \"%1\" would change %2 to %3"_s.arg(
                                   vod.twitchVodId, toText(vod.state), toText(to)));
            return std::nullopt;
        }
        VodRowChange::Plan plan{to,
                                vod.leaseOwner.isEmpty()
                                        ? u"claimed"_s
                                        : u"claimed after the lease of %1 ran out"_s.arg(
                                                  vod.leaseOwner),
                                request.owner};
        plan.changes.nextAttemptAt({});
        plan.lease = VodRowChange::Lease::Take;
        plan.leaseOwner = request.owner;
        plan.leaseExpiresAt = expires;
        plan.auditUnchanged = true;
        return plan;
    };
    return change({where, values, true, u"no VOD of channel \"%1\" is eligible"_s.arg(
                                                request.channel)},
                  decide, error);
}

bool VodStore::renewLease(qint64 id, const QString &owner, const QDateTime &now,
                          std::chrono::milliseconds duration, StoreError *error) const
{
    if (updateWhere(u"lease_expires_at = ?"_s,
                    u"id = ? AND lease_owner = ? AND state IN (%1)"_s.arg(
                            VodSql::stateList(isActive)),
                    {VodSql::timestamp(now.addMSecs(duration.count())), id, owner}, error)) {
        return true;
    }
    if (error && error->kind == StoreError::Kind::NotFound)
        error->message = leaseHeld(id, owner);
    return false;
}

std::optional<VodRecord> VodStore::release(qint64 id, const QString &owner,
                                           const QString &reason, StoreError *error) const
{
    if (owner.isEmpty())
        return noOwner(error);
    const auto decide = [&](const VodRecord &vod,
                            StoreError *refusal) -> std::optional<VodRowChange::Plan> {
        if (!holds(vod, vod.state, owner, refusal))
            return std::nullopt;
        VodState to = vod.state;
        if (vod.state == VodState::Downloading)
            to = VodState::Queued;
        else if (vod.state == VodState::Uploading)
            to = VodState::Downloaded;
        VodRowChange::Plan plan{to, reason, owner};
        plan.lease = VodRowChange::Lease::Release;
        return plan;
    };
    return change(byId(id), decide, error);
}

std::optional<VodRecord> VodStore::transition(qint64 id, const VodStateChange &change,
                                              StoreError *error) const
{
    if (!VodTransitions::isAllowed(change.from, change.to)) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"a VOD cannot change from %1 to %2"_s.arg(toText(change.from),
                                                                 toText(change.to)));
        return std::nullopt;
    }
    const auto decide = [&change](const VodRecord &vod,
                                  StoreError *refusal) -> std::optional<VodRowChange::Plan> {
        if (!holds(vod, change.from, change.owner, refusal))
            return std::nullopt;
        VodRowChange::Plan plan{change.to, change.reason,
                                change.owner.isEmpty() ? u"operator"_s : change.owner,
                                change.changes};
        if (!change.owner.isEmpty() && !isActive(change.to))
            plan.lease = VodRowChange::Lease::Release;
        return plan;
    };
    return this->change(byId(id), decide, error);
}

bool VodStore::writeProgress(qint64 id, const QString &owner, qint64 bytes, qint64 total,
                             const QDateTime &now, StoreError *error) const
{
    if (updateWhere(u"download_bytes = ?, download_total = ?, download_state = 'downloading', "
                    "progress_updated_at = ?"_s,
                    u"id = ? AND lease_owner = ? AND state = 'downloading'"_s,
                    {bytes, total, VodSql::timestamp(now), id, owner}, error)) {
        return true;
    }
    if (error && error->kind == StoreError::Kind::NotFound)
        error->message = leaseHeld(id, owner);
    return false;
}

std::optional<VodRecord> VodStore::markDownloaded(qint64 id, const QString &owner,
                                                  const QString &path, qint64 size,
                                                  StoreError *error) const
{
    VodStateChange change{VodState::Downloading, VodState::Downloaded, u"download complete"_s,
                          owner, {}};
    change.changes.downloadedPath(path)
            .downloadState(u"complete"_s)
            .downloadProgress(size, size)
            .processingError({});
    return transition(id, change, error);
}

std::optional<VodRecord> VodStore::recordDownloadFailure(qint64 id, const QString &owner,
                                                         const VodFailure &failure,
                                                         const CycleRetryPolicy &policy,
                                                         const QDateTime &now,
                                                         StoreError *error) const
{
    return recordFailure(id, owner, VodState::Downloading, failure, policy, now, error);
}

std::optional<VodRecord> VodStore::recordUploadFailure(qint64 id, const QString &owner,
                                                       const VodFailure &failure,
                                                       const CycleRetryPolicy &policy,
                                                       const QDateTime &now,
                                                       StoreError *error) const
{
    return recordFailure(id, owner, VodState::Uploading, failure, policy, now, error);
}

std::optional<VodRecord> VodStore::recordFailure(qint64 id, const QString &owner, VodState stage,
                                                 const VodFailure &failure,
                                                 const CycleRetryPolicy &policy,
                                                 const QDateTime &now, StoreError *error) const
{
    if (owner.isEmpty())
        return noOwner(error);
    const bool upload = stage == VodState::Uploading;
    const auto decide = [&](const VodRecord &vod,
                            StoreError *refusal) -> std::optional<VodRowChange::Plan> {
        if (!holds(vod, stage, owner, refusal))
            return std::nullopt;
        const int attempts = (upload ? vod.uploadAttempts : vod.downloadAttempts) + 1;
        const bool terminal = failure.terminal || attempts >= policy.maxAttempts;
        VodRowChange::Plan plan{terminal ? VodState::FailedTerminal : VodState::FailedRetry,
                                u"%1 failed (attempt %2 of %3)"_s.arg(
                                        upload ? u"upload"_s : u"download"_s)
                                        .arg(attempts)
                                        .arg(policy.maxAttempts),
                                owner};
        plan.changes.processingError(upload ? u"upload: "_s + failure.error : failure.error)
                .nextAttemptAt(terminal ? QDateTime()
                                        : now.addMSecs(policy.delayAfter(attempts).count()));
        plan.counters.append(
                {upload ? u"upload_attempts"_s : u"download_attempts"_s, attempts});
        plan.lease = VodRowChange::Lease::Release;
        return plan;
    };
    return change(byId(id), decide, error);
}

bool VodStore::saveUploadSession(qint64 id, const QString &owner, const QString &uri,
                                 qint64 offset, StoreError *error) const
{
    if (updateWhere(u"upload_session_uri = ?, upload_offset = ?"_s,
                    u"id = ? AND lease_owner = ? AND state = 'uploading'"_s,
                    {VodSql::text(uri), uri.isEmpty() ? 0 : offset, id, owner}, error)) {
        return true;
    }
    if (error && error->kind == StoreError::Kind::NotFound)
        error->message = leaseHeld(id, owner);
    return false;
}

std::optional<VodRecord> VodStore::markUploaded(qint64 id, const QString &owner,
                                                const QString &youtubeUrl, const QDateTime &now,
                                                StoreError *error) const
{
    VodStateChange change{VodState::Uploading, VodState::Done, u"uploaded"_s, owner, {}};
    change.changes.youtubeUrl(youtubeUrl)
            .uploadedAt(now)
            .processingError({})
            .uploadSession({}, 0);
    return transition(id, change, error);
}

bool VodStore::clearDownloadedPath(qint64 id, const QString &path, StoreError *error) const
{
    StoreError failure;
    if (updateWhere(u"downloaded_path = NULL"_s, u"id = ? AND downloaded_path = ?"_s,
                    {id, path}, &failure)
        || failure.kind == StoreError::Kind::NotFound) {
        return true;
    }
    if (error)
        *error = failure;
    return false;
}

} // namespace Pitwall
