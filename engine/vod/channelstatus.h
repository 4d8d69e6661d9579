#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace Pitwall {

// What /status, /admin/monitor and the console show of one channel, as its pipeline last saw it.
struct ChannelStatus
{
    QString channel;
    qint64 pending = 0;   // not finished: queued, working, failed_retry, throttled
    qint64 errored = 0;   // pending with a processing error
    qint64 processed = 0; // done or done_no_upload
    QList<QPair<int, qint64>> queueByPriority; // pending VODs per priority, highest first
    int activeDownloads = 0;
    QString circuitState = QStringLiteral("closed"); // closed, open, half-open
    int circuitFailures = 0;
    QDateTime circuitOpenUntil; // null unless open
    bool circuitEnabled = false;
    std::optional<qint64> avgDownloadMs;
    std::optional<qint64> avgUploadMs;
    std::optional<qint64> avgTotalMs;
    QDateTime lastProcessRun;
    QString oldestPendingId;
    QDateTime oldestPendingDate;
    bool throttled = false; // the daily upload cap holds back work

    bool circuitOpen() const { return circuitEnabled && circuitState == u"open"; }
    // The /status shape of research §3 (averages and circuit values as strings), per channel.
    QJsonObject toStatusJson() const;
    // /admin/monitor: counts, circuit, last run and the oldest pending VOD.
    QJsonObject toMonitorJson() const;
};

} // namespace Pitwall
