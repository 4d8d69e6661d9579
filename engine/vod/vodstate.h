#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace Pitwall {

// Where a VOD is in the queue; stored as text in vods.state (the CHECK lists the same words).
//
//   queued          discovered or re-queued, waiting to be claimed
//   downloading     claimed, yt-dlp runs (or is about to)
//   downloaded      the file is complete; the upload gate decides what comes next
//   uploading       the YouTube resumable upload runs
//   done            uploaded (youtube_url set)
//   done_no_upload  finished without an upload (skip_upload, uploads disabled, no ownership)
//   failed_retry    failed; claimed again once next_attempt_at has passed
//   failed_terminal failed for good (auth-required, not found, attempts used up); reprocess only
//   canceled        stopped by the operator; stays until reprocessed (the .part file is kept,
//                   so the next download resumes it)
//   throttled       held back by a daily upload cap or the YouTube quota until next_attempt_at
enum class VodState {
    Queued,
    Downloading,
    Downloaded,
    Uploading,
    Done,
    DoneNoUpload,
    FailedRetry,
    FailedTerminal,
    Canceled,
    Throttled,
};

// "queued", "downloading", ... as stored.
QString toText(VodState state);
// The inverse of toText(); std::nullopt for anything else (case-sensitive, as stored).
std::optional<VodState> vodStateFromText(QStringView text);
// Every state, in declaration order.
QList<VodState> allVodStates();

// A worker holds the row (downloading, downloaded, uploading): its lease says who and how long.
bool isActive(VodState state);
// Waiting for a worker by itself (queued, failed_retry, throttled) once next_attempt_at passed.
bool isWaiting(VodState state);
// Work the queue still has to do: active or waiting. What /status counts as pending.
bool isPending(VodState state);
// done or done_no_upload: vods.processed is 1 exactly for these.
bool isProcessed(VodState state);

} // namespace Pitwall
