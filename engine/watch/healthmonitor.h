#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

// The watch scanner's health as the state file, /status and /metrics show it.
struct Health
{
    enum class Status { Healthy, Degraded, Unhealthy };

    Status status = Status::Healthy;
    QString reason;             // why not healthy; empty when healthy
    QDateTime since;            // when the current status was entered (UTC)
    int consecutiveScanFailures = 0;
    int consecutiveAttachFailures = 0;
    quint64 totalScanFailures = 0;
    quint64 totalAttachFailures = 0;
    QDateTime lastSuccessfulScan;
    QDateTime lastSuccessfulAttachment;

    static QString statusName(Status status); // "healthy", "degraded", "unhealthy"
    static std::optional<Status> statusFromName(const QString &name);

    // Keys: status, reason, since, consecutive_scan_failures, consecutive_attach_failures,
    // total_scan_failures, total_attach_failures, last_successful_scan,
    // last_successful_attachment (the old daemon's report names).
    QJsonObject toJson() const;
    static std::optional<Health> fromJson(const QJsonObject &object, const QString &context,
                                          QString *error);

    friend bool operator==(const Health &, const Health &) = default;
};

// The guide's thresholds (see HealthMonitor).
struct HealthThresholds
{
    int degradedScanFailures = 2;
    int unhealthyScanFailures = 5;
    int degradedAttachFailures = 10;
    int stalledScanIntervals = 3;
};

// The guide's thresholds: 2 consecutive failed scans make the scanner degraded, 5 unhealthy,
// and one good scan clears them; 10 consecutive failed attaches make it degraded until one
// attach succeeds; no scan completed (good or bad) for more than 3 scan intervals means the
// scan loop is stuck: unhealthy. The engine calls evaluate() on a timer, because a stuck loop
// records nothing. Every method returns true when the status changed, so the caller logs
// logLine() exactly once per transition.
class HealthMonitor final
{
public:
    using Thresholds = HealthThresholds;

    // `now` starts the stall clock: a loop that never completes a scan is stalled as well.
    HealthMonitor(std::chrono::milliseconds scanInterval, const QDateTime &now,
                  HealthThresholds thresholds = {});

    void setScanInterval(std::chrono::milliseconds scanInterval);

    bool recordScanSuccess(const QDateTime &now);
    bool recordScanFailure(const QDateTime &now, const QString &error);
    bool recordAttachSuccess(const QDateTime &now);
    bool recordAttachFailure(const QDateTime &now, const QString &error);
    bool evaluate(const QDateTime &now);

    const Health &health() const { return m_health; }
    QDateTime lastScanCompletedAt() const { return m_lastScanCompleted; }

    // "Health status: healthy" or, in the guide's wording,
    // "Health status: degraded (scan failures: 3, attach failures: 0): <reason>".
    QString logLine() const;

private:
    bool update(const QDateTime &now);

    std::chrono::milliseconds m_scanInterval;
    HealthThresholds m_thresholds;
    Health m_health;
    QDateTime m_lastScanCompleted;
    QString m_lastScanError;
    QString m_lastAttachError;
};

} // namespace Pitwall
