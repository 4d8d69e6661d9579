#include "watch/healthmonitor.h"

#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Pitwall::Health;
using Pitwall::HealthMonitor;
using Status = Pitwall::Health::Status;

namespace {

const QDateTime t0 = QDateTime::fromString(u"2026-01-07T10:30:00.000Z"_s, Qt::ISODateWithMs);

// A monitor whose scans fail every second, well inside the 10 s interval (no stall involved).
struct FailingScans
{
    HealthMonitor monitor{10s, t0};
    QDateTime now = t0;

    bool fail()
    {
        now = now.addSecs(1);
        return monitor.recordScanFailure(now, u"cannot list /nonexistent: No such file"_s);
    }
};

} // namespace

class TestHealthMonitor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsHealthy()
    {
        const HealthMonitor monitor(10s, t0);
        QCOMPARE(monitor.health().status, Status::Healthy);
        QCOMPARE(monitor.health().since, t0);
        QVERIFY(monitor.health().reason.isEmpty());
        QCOMPARE(monitor.logLine(), u"Health status: healthy"_s);
    }

    void degradedExactlyAtTheSecondFailedScan()
    {
        FailingScans scans;
        QVERIFY(!scans.fail());
        QCOMPARE(scans.monitor.health().status, Status::Healthy);
        QVERIFY(scans.fail());
        const Health &health = scans.monitor.health();
        QCOMPARE(health.status, Status::Degraded);
        QCOMPARE(health.since, scans.now);
        QCOMPARE(health.consecutiveScanFailures, 2);
        QCOMPARE(health.totalScanFailures, quint64(2));
        QVERIFY2(health.reason.contains(u"2 consecutive scan failures"_s), qPrintable(health.reason));
        QVERIFY(health.reason.contains(u"/nonexistent"_s));
        QVERIFY2(scans.monitor.logLine().startsWith(
                     u"Health status: degraded (scan failures: 2, attach failures: 0)"_s),
                 qPrintable(scans.monitor.logLine()));
    }

    void unhealthyExactlyAtTheFifthFailedScan()
    {
        FailingScans scans;
        scans.fail();
        scans.fail();
        const QDateTime degradedSince = scans.now;
        QVERIFY(!scans.fail());
        QVERIFY(!scans.fail());
        QCOMPARE(scans.monitor.health().status, Status::Degraded);
        QCOMPARE(scans.monitor.health().since, degradedSince);
        QVERIFY(scans.fail());
        QCOMPARE(scans.monitor.health().status, Status::Unhealthy);
        QCOMPARE(scans.monitor.health().consecutiveScanFailures, 5);
        QVERIFY(!scans.fail());
        QCOMPARE(scans.monitor.health().status, Status::Unhealthy);
    }

    void oneGoodScanRestoresHealthy()
    {
        FailingScans scans;
        for (int i = 0; i < 6; ++i)
            scans.fail();
        QCOMPARE(scans.monitor.health().status, Status::Unhealthy);
        const QDateTime good = scans.now.addSecs(1);
        QVERIFY(scans.monitor.recordScanSuccess(good));
        const Health &health = scans.monitor.health();
        QCOMPARE(health.status, Status::Healthy);
        QCOMPARE(health.since, good);
        QCOMPARE(health.lastSuccessfulScan, good);
        QCOMPARE(health.consecutiveScanFailures, 0);
        QCOMPARE(health.totalScanFailures, quint64(6));
        QVERIFY(health.reason.isEmpty());
        QCOMPARE(scans.monitor.logLine(), u"Health status: healthy"_s);
        QVERIFY(!scans.monitor.recordScanSuccess(good.addSecs(1)));
    }

    void tenFailedAttachesDegradeUntilOneSucceeds()
    {
        HealthMonitor monitor(10s, t0);
        const QDateTime now = t0.addSecs(1);
        monitor.recordScanSuccess(now);
        for (int i = 1; i <= 9; ++i)
            QVERIFY(!monitor.recordAttachFailure(now, u"Permission denied"_s));
        QCOMPARE(monitor.health().status, Status::Healthy);
        QVERIFY(monitor.recordAttachFailure(now, u"Permission denied"_s));
        QCOMPARE(monitor.health().status, Status::Degraded);
        QCOMPARE(monitor.health().consecutiveAttachFailures, 10);
        QVERIFY(monitor.health().reason.contains(u"10 consecutive attach failures, last: Permission denied"_s));
        QVERIFY(monitor.logLine().startsWith(
            u"Health status: degraded (scan failures: 0, attach failures: 10)"_s));
        // Good scans do not clear attach trouble: only a good attach does.
        QVERIFY(!monitor.recordScanSuccess(now.addSecs(1)));
        QCOMPARE(monitor.health().status, Status::Degraded);
        QVERIFY(monitor.recordAttachSuccess(now.addSecs(2)));
        QCOMPARE(monitor.health().status, Status::Healthy);
        QCOMPARE(monitor.health().totalAttachFailures, quint64(10));
        QCOMPARE(monitor.health().lastSuccessfulAttachment, now.addSecs(2));
    }

    void aStalledScanLoopIsUnhealthyAfterThreeIntervals()
    {
        HealthMonitor monitor(10s, t0);
        QVERIFY(!monitor.evaluate(t0.addSecs(30)));
        QCOMPARE(monitor.health().status, Status::Healthy);
        QVERIFY(monitor.evaluate(t0.addMSecs(30001)));
        QCOMPARE(monitor.health().status, Status::Unhealthy);
        QVERIFY2(monitor.health().reason.contains(u"no scan completed for 30.0s (limit 30s)"_s),
                 qPrintable(monitor.health().reason));

        const QDateTime scan = t0.addSecs(40);
        QVERIFY(monitor.recordScanSuccess(scan));
        QCOMPARE(monitor.health().status, Status::Healthy);
        QVERIFY(!monitor.evaluate(scan.addSecs(30)));
        QVERIFY(monitor.evaluate(scan.addSecs(31)));
        QCOMPARE(monitor.health().status, Status::Unhealthy);
    }

    void aFailedScanStillProvesTheLoopRuns()
    {
        HealthMonitor monitor(10s, t0);
        monitor.recordScanFailure(t0.addSecs(25), u"x"_s);
        QVERIFY(!monitor.evaluate(t0.addSecs(50)));
        QCOMPARE(monitor.health().status, Status::Healthy);
        QCOMPARE(monitor.lastScanCompletedAt(), t0.addSecs(25));
    }

    void aShorterIntervalTightensTheStallLimit()
    {
        HealthMonitor monitor(10s, t0);
        QVERIFY(!monitor.evaluate(t0.addSecs(7)));
        monitor.setScanInterval(2s);
        QVERIFY(monitor.evaluate(t0.addSecs(7)));
        QCOMPARE(monitor.health().status, Status::Unhealthy);
    }

    void customThresholds()
    {
        HealthMonitor monitor(1s, t0, {3, 4, 1, 5});
        QVERIFY(!monitor.recordScanFailure(t0, u"a"_s));
        QVERIFY(!monitor.recordScanFailure(t0, u"b"_s));
        QVERIFY(monitor.recordScanFailure(t0, u"c"_s));
        QCOMPARE(monitor.health().status, Status::Degraded);
        QVERIFY(monitor.recordScanFailure(t0, u"d"_s));
        QCOMPARE(monitor.health().status, Status::Unhealthy);
    }

    void healthJsonRoundTrip()
    {
        FailingScans scans;
        for (int i = 0; i < 3; ++i)
            scans.fail();
        scans.monitor.recordAttachFailure(scans.now, u"EPERM"_s);
        scans.monitor.recordAttachSuccess(scans.now.addSecs(1));
        const Health health = scans.monitor.health();
        const QJsonObject json = health.toJson();
        QCOMPARE(json.value(u"status"_s).toString(), u"degraded"_s);
        QCOMPARE(json.value(u"consecutive_scan_failures"_s).toInt(), 3);
        QCOMPARE(json.value(u"total_attach_failures"_s).toInt(), 1);
        QString error;
        const std::optional<Health> back = Health::fromJson(json, u"health"_s, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, health);
    }

    void healthJsonRejectsAnUnknownStatus()
    {
        QString error;
        QVERIFY(!Health::fromJson(QJsonObject{{u"status"_s, u"fine"_s}}, u"health"_s, &error));
        QVERIFY2(error.startsWith(u"health.status: "_s), qPrintable(error));
        QVERIFY(!Health::fromJson(QJsonObject{{u"consecutive_scan_failures"_s, -1}}, u"health"_s,
                                  &error));
        QVERIFY2(error.contains(u"consecutive_scan_failures"_s), qPrintable(error));
        QCOMPARE(Health::statusFromName(u"unhealthy"_s), Status::Unhealthy);
        QCOMPARE(Health::statusFromName(u"Healthy"_s), std::nullopt);
    }
};

QTEST_APPLESS_MAIN(TestHealthMonitor)
#include "healthmonitor.moc"
