#include "vod/channelstatus.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QString timestamp(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

void insertCircuit(QJsonObject &out, const ChannelStatus &status)
{
    out.insert(u"circuit_state"_s, status.circuitState);
    out.insert(u"circuit_failures"_s, QString::number(status.circuitFailures));
    if (status.circuitOpenUntil.isValid())
        out.insert(u"circuit_open_until"_s, timestamp(status.circuitOpenUntil));
}

void insertCounts(QJsonObject &out, const ChannelStatus &status, const QString &prefix)
{
    out.insert(prefix + u"pending"_s, status.pending);
    out.insert(prefix + u"errored"_s, status.errored);
    out.insert(prefix + u"processed"_s, status.processed);
}

} // namespace

QJsonObject ChannelStatus::toStatusJson() const
{
    QJsonObject out;
    insertCounts(out, *this, QString());
    QJsonArray priorities;
    for (const auto &[priority, count] : queueByPriority)
        priorities.append(QJsonObject{{u"priority"_s, priority}, {u"count"_s, count}});
    out.insert(u"queue_by_priority"_s, priorities);
    out.insert(u"active_downloads"_s, activeDownloads);
    out.insert(u"throttled"_s, throttled);
    insertCircuit(out, *this);
    const QList<QPair<QString, std::optional<qint64>>> averages{
        {u"avg_download_ms"_s, avgDownloadMs},
        {u"avg_upload_ms"_s, avgUploadMs},
        {u"avg_total_ms"_s, avgTotalMs}};
    for (const auto &[key, value] : averages) {
        if (value)
            out.insert(key, QString::number(*value));
    }
    if (lastProcessRun.isValid())
        out.insert(u"last_process_run"_s, timestamp(lastProcessRun));
    return out;
}

QJsonObject ChannelStatus::toMonitorJson() const
{
    QJsonObject out;
    insertCounts(out, *this, u"vods_"_s);
    insertCircuit(out, *this);
    if (lastProcessRun.isValid())
        out.insert(u"job_vod_process_last"_s, timestamp(lastProcessRun));
    if (!oldestPendingId.isEmpty())
        out.insert(u"oldest_pending"_s, QJsonObject{{u"id"_s, oldestPendingId},
                                                    {u"date"_s, timestamp(oldestPendingDate)}});
    return out;
}

} // namespace Pitwall
