#pragma once

#include <QDateTime>
#include <QString>

namespace Pitwall {

// A broadcast recorded in auto mode (a row of live_sessions). Its chat is stored under
// placeholderId until reconciliation moves it to the archived VOD.
struct LiveSession
{
    qint64 id = 0;
    QString channel;
    QString placeholderId; // "live-<started_at unix seconds>"
    QDateTime startedAt;
    QString title;
    QDateTime endedAt;      // invalid while live
    QString reconciledVodId; // empty until reconciled
    QDateTime reconciledAt;

    bool isReconciled() const { return !reconciledVodId.isEmpty(); }
    static QString placeholderFor(const QDateTime &startedAt)
    {
        return QStringLiteral("live-%1").arg(startedAt.toSecsSinceEpoch());
    }
};

// The archived VOD a live session's chat moves to.
struct ArchivedVod
{
    QString twitchVodId;
    QString title;
    QDateTime createdAt;
    int durationSeconds = 0;
};

} // namespace Pitwall
