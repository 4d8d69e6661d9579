#pragma once

#include "relay/storeerror.h"
#include "vod/cancelresult.h"
#include "vod/claimrequest.h"
#include "vod/cycleretrypolicy.h"
#include "vod/discoveredvod.h"
#include "vod/vodcounts.h"
#include "vod/vodfailure.h"
#include "vod/vodlistfilter.h"
#include "vod/vodrecord.h"
#include "vod/vodrowchange.h"
#include "vod/vodstatechange.h"
#include "vod/vodtransitionrecord.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

class QSqlQuery;

namespace Pitwall {

class Database;

// The VOD queue's table (vods) and its audit trail (vod_transitions). Thread-safe like
// Database: every call uses the calling thread's connection; construct it where needed.
//
// Failures return std::nullopt / false and fill *error: Unavailable when the database cannot be
// reached, Invalid for bad input or a change VodTransitions does not allow, NotFound for an
// unknown VOD, or a row that is no longer in the state (or lease) the caller expected: someone
// else changed it first, e.g. the operator canceled or reset it while a worker had it.
//
// Time: every timestamp that drives behaviour (leases, next_attempt_at, uploaded_at, progress)
// comes from the caller's `now`, so tests control time; created_at, updated_at and the audit
// rows' changed_at are the database's clock and informational only.
//
// Leases: claimNext() hands a row to one worker (`owner`) until the lease runs out; the worker
// renews it while it works and every worker call checks it still holds it. A worker's change to
// a state that is not active (isActive()) releases the lease. Operator changes (cancel,
// reprocess, the runbook's SQL reset) leave it: the worker notices when renewLease() fails and
// calls release(), or the lease runs out, and only then can the row be claimed again.
class VodStore final
{
public:
    explicit VodStore(const Database &database) : m_database(database) { }

    // -- discovery and reads

    // Inserts the VODs not known yet (ON CONFLICT DO NOTHING: an existing row, of any channel,
    // is left as it is) as queued; the number inserted. Invalid for an empty or live-* id.
    std::optional<int> upsertDiscovered(const QString &channel, const QList<DiscoveredVod> &vods,
                                        StoreError *error) const;
    std::optional<VodRecord> get(const QString &twitchVodId, StoreError *error) const;
    std::optional<QList<VodRecord>> list(const VodListFilter &filter, StoreError *error) const;
    std::optional<VodCounts> counts(const QString &channel, StoreError *error) const;
    // The VOD's audit rows, oldest first.
    std::optional<QList<VodTransitionRecord>> history(const QString &twitchVodId,
                                                      StoreError *error) const;
    // Rows of the channel uploaded at or after `since` (uploaded_at, never updated_at: edits
    // of priority or description do not count); with a valid backCatalogueBefore only those
    // dated before it. For UPLOAD_DAILY_LIMIT and BACKFILL_UPLOAD_DAILY_LIMIT.
    std::optional<int> uploadsSince(const QString &channel, const QDateTime &since,
                                    const QDateTime &backCatalogueBefore,
                                    StoreError *error) const;

    // -- the worker's side

    // Atomically claims the channel's best eligible row for request.owner: state queued,
    // failed_retry or throttled with next_attempt_at passed (or NULL), or a row of a dead worker
    // (downloading, downloaded, uploading) whose lease ran out; never canceled or finished rows,
    // never a row under a live lease. Order: priority DESC, date ASC (oldest first), id. The
    // row becomes downloaded when its download is complete (the upload stage resumes), else
    // downloading; next_attempt_at is cleared. NotFound when nothing is eligible.
    // PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so concurrent claimers get different rows.
    std::optional<VodRecord> claimNext(const ClaimRequest &request, StoreError *error) const;
    // Extends the lease to now + duration. False (NotFound) when `owner` no longer holds it or
    // the row is no longer active: stop working on it.
    bool renewLease(qint64 id, const QString &owner, const QDateTime &now,
                    std::chrono::milliseconds duration, StoreError *error) const;
    // Gives the row back (shutdown, or after noticing an operator change): downloading becomes
    // queued, uploading becomes downloaded (claimable at once, the upload session is kept), and
    // the lease is cleared. NotFound unless `owner` holds the lease.
    std::optional<VodRecord> release(qint64 id, const QString &owner, const QString &reason,
                                     StoreError *error) const;
    // Any allowed change; see VodStateChange. The helpers below are the usual ones.
    std::optional<VodRecord> transition(qint64 id, const VodStateChange &change,
                                        StoreError *error) const;
    // download_bytes/total, download_state "downloading" and progress_updated_at = now, while
    // `owner` holds the row in state downloading. Call it at most about once a second.
    bool writeProgress(qint64 id, const QString &owner, qint64 bytes, qint64 total,
                       const QDateTime &now, StoreError *error) const;
    // downloading -> downloaded: the path, download_state "complete", bytes = total = size,
    // processing_error cleared.
    std::optional<VodRecord> markDownloaded(qint64 id, const QString &owner, const QString &path,
                                            qint64 size, StoreError *error) const;
    // downloading -> failed_retry (download_attempts + 1, next_attempt_at = now +
    // policy.delayAfter(attempts)) or failed_terminal (failure.terminal, or attempts reaching
    // policy.maxAttempts). processing_error = failure.error.
    std::optional<VodRecord> recordDownloadFailure(qint64 id, const QString &owner,
                                                   const VodFailure &failure,
                                                   const CycleRetryPolicy &policy,
                                                   const QDateTime &now, StoreError *error) const;
    // The same for uploading, on upload_attempts; processing_error "upload: <error>". The file
    // and the upload session are kept, so the retry resumes the session.
    std::optional<VodRecord> recordUploadFailure(qint64 id, const QString &owner,
                                                 const VodFailure &failure,
                                                 const CycleRetryPolicy &policy,
                                                 const QDateTime &now, StoreError *error) const;
    // Persists the resumable session (URI and the offset YouTube confirmed) while `owner` holds
    // the row in state uploading; an empty uri clears it (offset 0).
    bool saveUploadSession(qint64 id, const QString &owner, const QString &uri, qint64 offset,
                           StoreError *error) const;
    // uploading -> done: youtube_url, uploaded_at = now, processing_error and session cleared.
    std::optional<VodRecord> markUploaded(qint64 id, const QString &owner,
                                          const QString &youtubeUrl, const QDateTime &now,
                                          StoreError *error) const;
    // downloaded_path = NULL if it still is `path` (the file was deleted after the upload or by
    // retention). True also when it no longer was.
    bool clearDownloadedPath(qint64 id, const QString &path, StoreError *error) const;

    // -- operator actions (the API and the console)

    // queued, failed_retry, throttled or a running row -> canceled, with download_state
    // "canceled" when it was downloading; no attempt is counted and processing_error stays.
    // Already canceled or finished: changed = false, the row as it is.
    std::optional<CancelResult> cancel(const QString &twitchVodId, StoreError *error) const;
    // The runbook's reset through the schema's trigger (processed=0, processing_error and
    // youtube_url NULL; state queued, attempts 0, next_attempt_at, download_state and the upload
    // session cleared), for rows VodTransitions lets go to queued; Invalid for an active row
    // (cancel it first).
    std::optional<VodRecord> reprocess(const QString &twitchVodId, StoreError *error) const;
    std::optional<VodRecord> setPriority(const QString &twitchVodId, int priority,
                                         StoreError *error) const;
    std::optional<VodRecord> setSkipUpload(const QString &twitchVodId, bool skip,
                                           StoreError *error) const;
    // Empty clears it (the default description is used).
    std::optional<VodRecord> setDescription(const QString &twitchVodId,
                                            const QString &description,
                                            StoreError *error) const;

private:
    // A read on the calling thread's connection, positioned before its first row.
    std::optional<QSqlQuery> select(const QString &sql, const QVariantList &values,
                                    StoreError *error) const;
    // SELECT <every column> FROM vods<tail>.
    std::optional<QList<VodRecord>> records(const QString &tail, const QVariantList &values,
                                            StoreError *error) const;
    std::optional<VodRecord> recordFailure(qint64 id, const QString &owner, VodState stage,
                                           const VodFailure &failure,
                                           const CycleRetryPolicy &policy, const QDateTime &now,
                                           StoreError *error) const;
    // UPDATE vods SET <sets> WHERE twitch_vod_id = ? <guard>, then the row.
    std::optional<VodRecord> updateByTwitchId(const QString &twitchVodId, const QString &sets,
                                              const QVariantList &values, StoreError *error,
                                              const QString &guard = {},
                                              const QVariantList &guardValues = {}) const;
    // UPDATE vods SET <sets> WHERE <where>; whether a row matched.
    bool updateWhere(const QString &sets, const QString &where, const QVariantList &values,
                     StoreError *error) const;
    std::optional<VodRecord> change(const VodRowChange::Target &target,
                                    const VodRowChange::Decide &decide, StoreError *error) const;

    const Database &m_database;
};

} // namespace Pitwall
