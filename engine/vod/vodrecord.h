#pragma once

#include "vod/vodstate.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Pitwall {

// One row of vods, as VodStore returns it. A plain value: copy it freely, also across threads
// (queued signals). Text columns that are NULL read as empty strings; timestamps are UTC and
// invalid (isNull()) for NULL.
struct VodRecord
{
    qint64 id = 0;
    QString twitchVodId;
    QString channel;
    QString title;
    QDateTime date; // Helix created_at: the broadcast's start
    qint64 durationSeconds = 0;
    VodState state = VodState::Queued;
    int priority = 0; // higher first
    bool skipUpload = false;
    QString description; // operator-set; empty: the default description
    int downloadAttempts = 0; // failed download cycles
    int uploadAttempts = 0;   // failed upload cycles
    QDateTime nextAttemptAt;  // not claimed before this; null: now
    QString downloadState;    // "downloading", "complete", "canceled" (the runbook reads it)
    qint64 downloadBytes = 0;
    qint64 downloadTotal = 0;
    QDateTime progressUpdatedAt;
    QString downloadedPath;
    QString uploadSessionUri; // a started resumable upload, resumed after a restart
    qint64 uploadOffset = 0;  // bytes YouTube confirmed for that session
    QDateTime uploadedAt;     // the daily caps count this, never updated_at
    QString youtubeUrl;
    bool processed = false;   // exactly state done or done_no_upload
    QString processingError;
    QString leaseOwner;
    QDateTime leaseExpiresAt;
    QDateTime createdAt;
    QDateTime updatedAt;

    // The download is complete and its file recorded: the next stage is the upload gate.
    bool downloadComplete() const
    {
        return downloadState == QLatin1String("complete") && !downloadedPath.isEmpty();
    }
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::VodRecord)
