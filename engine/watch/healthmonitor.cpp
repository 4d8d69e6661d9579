#include "watch/healthmonitor.h"

#include "core/config/duration.h"
#include "watch/jsonfields.h"

#include <QStringList>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr qint64 maxCount = qint64(1) << 53;

} // namespace

QString Health::statusName(Status status)
{
    switch (status) {
    case Status::Healthy:
        return u"healthy"_s;
    case Status::Degraded:
        return u"degraded"_s;
    case Status::Unhealthy:
        return u"unhealthy"_s;
    }
    return {};
}

std::optional<Health::Status> Health::statusFromName(const QString &name)
{
    for (const Status status : {Status::Healthy, Status::Degraded, Status::Unhealthy}) {
        if (statusName(status) == name)
            return status;
    }
    return std::nullopt;
}

QJsonObject Health::toJson() const
{
    return QJsonObject{
        {u"status"_s, statusName(status)},
        {u"reason"_s, reason},
        {u"since"_s, dateTimeToJson(since)},
        {u"consecutive_scan_failures"_s, consecutiveScanFailures},
        {u"consecutive_attach_failures"_s, consecutiveAttachFailures},
        {u"total_scan_failures"_s, qint64(totalScanFailures)},
        {u"total_attach_failures"_s, qint64(totalAttachFailures)},
        {u"last_successful_scan"_s, dateTimeToJson(lastSuccessfulScan)},
        {u"last_successful_attachment"_s, dateTimeToJson(lastSuccessfulAttachment)},
    };
}

std::optional<Health> Health::fromJson(const QJsonObject &object, const QString &context,
                                       QString *error)
{
    JsonFields fields(object, context);
    Health health;
    const QString name = fields.string(u"status"_s);
    if (const std::optional<Status> status = statusFromName(name))
        health.status = *status;
    else if (fields.contains(u"status"_s))
        fields.fail(u"status"_s, u"must be healthy, degraded or unhealthy, not \"%1\""_s.arg(name));
    health.reason = fields.string(u"reason"_s);
    health.since = fields.dateTime(u"since"_s);
    constexpr qint64 maxInt = std::numeric_limits<int>::max();
    health.consecutiveScanFailures =
        int(fields.integer(u"consecutive_scan_failures"_s, 0, maxInt).value_or(0));
    health.consecutiveAttachFailures =
        int(fields.integer(u"consecutive_attach_failures"_s, 0, maxInt).value_or(0));
    health.totalScanFailures =
        quint64(fields.integer(u"total_scan_failures"_s, 0, maxCount).value_or(0));
    health.totalAttachFailures =
        quint64(fields.integer(u"total_attach_failures"_s, 0, maxCount).value_or(0));
    health.lastSuccessfulScan = fields.dateTime(u"last_successful_scan"_s);
    health.lastSuccessfulAttachment = fields.dateTime(u"last_successful_attachment"_s);
    if (!fields.ok()) {
        if (error)
            *error = fields.error();
        return std::nullopt;
    }
    return health;
}

HealthMonitor::HealthMonitor(std::chrono::milliseconds scanInterval, const QDateTime &now,
                             HealthThresholds thresholds)
    : m_scanInterval(scanInterval)
    , m_thresholds(thresholds)
    , m_lastScanCompleted(now.toUTC())
{
    m_health.since = now.toUTC();
}

void HealthMonitor::setScanInterval(std::chrono::milliseconds scanInterval)
{
    m_scanInterval = scanInterval;
}

bool HealthMonitor::recordScanSuccess(const QDateTime &now)
{
    m_health.consecutiveScanFailures = 0;
    m_health.lastSuccessfulScan = now.toUTC();
    m_lastScanCompleted = now.toUTC();
    return update(now);
}

bool HealthMonitor::recordScanFailure(const QDateTime &now, const QString &error)
{
    ++m_health.consecutiveScanFailures;
    ++m_health.totalScanFailures;
    m_lastScanError = error;
    m_lastScanCompleted = now.toUTC();
    return update(now);
}

bool HealthMonitor::recordAttachSuccess(const QDateTime &now)
{
    m_health.consecutiveAttachFailures = 0;
    m_health.lastSuccessfulAttachment = now.toUTC();
    return update(now);
}

bool HealthMonitor::recordAttachFailure(const QDateTime &now, const QString &error)
{
    ++m_health.consecutiveAttachFailures;
    ++m_health.totalAttachFailures;
    m_lastAttachError = error;
    return update(now);
}

bool HealthMonitor::evaluate(const QDateTime &now)
{
    return update(now);
}

bool HealthMonitor::update(const QDateTime &now)
{
    using Status = Health::Status;
    Status status = Status::Healthy;
    QStringList reasons;
    const auto raise = [&status, &reasons](Status level, const QString &reason) {
        status = std::max(status, level);
        reasons.append(reason);
    };

    const qint64 sinceScanMs = m_lastScanCompleted.msecsTo(now);
    const qint64 stallLimitMs = m_thresholds.stalledScanIntervals * qint64(m_scanInterval.count());
    if (sinceScanMs > stallLimitMs) {
        raise(Status::Unhealthy, u"no scan completed for %1s (limit %2)"_s
                                     .arg(QString::number(double(sinceScanMs) / 1000.0, 'f', 1),
                                          formatDuration(std::chrono::milliseconds(stallLimitMs))));
    }
    const int scanFailures = m_health.consecutiveScanFailures;
    if (scanFailures >= m_thresholds.degradedScanFailures) {
        raise(scanFailures >= m_thresholds.unhealthyScanFailures ? Status::Unhealthy
                                                                 : Status::Degraded,
              u"%1 consecutive scan failures, last: %2"_s.arg(scanFailures).arg(m_lastScanError));
    }
    const int attachFailures = m_health.consecutiveAttachFailures;
    if (attachFailures >= m_thresholds.degradedAttachFailures) {
        raise(Status::Degraded, u"%1 consecutive attach failures, last: %2"_s
                                    .arg(attachFailures)
                                    .arg(m_lastAttachError));
    }

    m_health.reason = reasons.join(u"; "_s);
    if (status == m_health.status)
        return false;
    m_health.status = status;
    m_health.since = now.toUTC();
    return true;
}

QString HealthMonitor::logLine() const
{
    const QString status = Health::statusName(m_health.status);
    if (m_health.status == Health::Status::Healthy)
        return u"Health status: "_s + status;
    return u"Health status: %1 (scan failures: %2, attach failures: %3): %4"_s.arg(
        status, QString::number(m_health.consecutiveScanFailures),
        QString::number(m_health.consecutiveAttachFailures), m_health.reason);
}

} // namespace Pitwall
