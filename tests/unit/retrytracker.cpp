#include "watch/retrytracker.h"

#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Pitwall::ProcessKey;
using Pitwall::RetryTracker;

namespace {

const QDateTime t0 = QDateTime::fromString(u"2026-01-07T10:30:00.000Z"_s, Qt::ISODateWithMs);

QList<qint64> backoffsInMs(const RetryTracker &tracker, int count)
{
    QList<qint64> delays;
    for (int failures = 1; failures <= count; ++failures)
        delays.append(tracker.backoffAfter(failures).count());
    return delays;
}

} // namespace

class TestRetryTracker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultBackoffDoublesFromOneSecondUpToOneMinute()
    {
        const RetryTracker tracker;
        QCOMPARE(tracker.policy().maxAttempts, 5);
        QCOMPARE(backoffsInMs(tracker, 9),
                 (QList<qint64>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
        QCOMPARE(tracker.backoffAfter(1000).count(), 60000);
        QCOMPARE(tracker.backoffAfter(0).count(), 0);
    }

    void injectedBaseAndCap()
    {
        const RetryTracker tracker({250ms, 1000ms, 3});
        QCOMPARE(backoffsInMs(tracker, 5), (QList<qint64>{250, 500, 1000, 1000, 1000}));
    }

    void unknownProcessIsDueAndNotExhausted()
    {
        const RetryTracker tracker;
        const ProcessKey key{4242, 777};
        QVERIFY(tracker.due(key, t0));
        QVERIFY(!tracker.exhausted(key));
        QCOMPARE(tracker.failures(key), 0);
        QVERIFY(!tracker.nextAttemptAt(key).isValid());
    }

    void attemptsFollowTheBackoffOnAnInjectedClock()
    {
        RetryTracker tracker({1s, 60s, 5});
        const ProcessKey key{100, 5000};
        QDateTime now = t0;
        const QList<qint64> expectedDelays{1000, 2000, 4000, 8000, 16000};
        for (const qint64 delay : expectedDelays) {
            QVERIFY(tracker.due(key, now));
            tracker.recordFailure(key, now, u"cannot write cgroup.procs"_s);
            QCOMPARE(tracker.nextAttemptAt(key), now.addMSecs(delay));
            QVERIFY(!tracker.due(key, now));
            QVERIFY(!tracker.due(key, now.addMSecs(delay - 1)));
            now = now.addMSecs(delay);
            QVERIFY(!tracker.exhausted(key));
        }
        QCOMPARE(tracker.failures(key), 5);
        QCOMPARE(tracker.lastReason(key), u"cannot write cgroup.procs"_s);
        QVERIFY(tracker.due(key, now));
    }

    void exhaustedAfterTheFirstAttemptPlusMaxRetries()
    {
        RetryTracker tracker({1s, 60s, 2});
        const ProcessKey key{100, 5000};
        tracker.recordFailure(key, t0, u"first attempt"_s);
        tracker.recordFailure(key, t0.addSecs(1), u"retry 1"_s);
        QVERIFY(!tracker.exhausted(key));
        tracker.recordFailure(key, t0.addSecs(3), u"retry 2"_s);
        QVERIFY(tracker.exhausted(key));
        // Exhausted means never again, not "after a long wait".
        QVERIFY(!tracker.due(key, t0.addDays(365)));
    }

    void zeroRetriesMeansOneAttempt()
    {
        RetryTracker tracker({1s, 60s, 0});
        const ProcessKey key{7, 1};
        QVERIFY(tracker.due(key, t0));
        tracker.recordFailure(key, t0, u"no"_s);
        QVERIFY(tracker.exhausted(key));
        QVERIFY(!tracker.due(key, t0.addSecs(3600)));
    }

    void aReusedPidStartsFromScratch()
    {
        RetryTracker tracker({1s, 60s, 0});
        const ProcessKey old{100, 5000};
        const ProcessKey reused{100, 9000};
        tracker.recordFailure(old, t0, u"gone"_s);
        QVERIFY(tracker.exhausted(old));
        QVERIFY(!tracker.exhausted(reused));
        QVERIFY(tracker.due(reused, t0));
    }

    void forgetRemovesExitedProcesses()
    {
        RetryTracker tracker;
        const ProcessKey a{100, 1};
        const ProcessKey b{100, 2};
        const ProcessKey c{200, 1};
        for (const ProcessKey &key : {a, b, c})
            tracker.recordFailure(key, t0, u"x"_s);
        QCOMPARE(tracker.size(), 3);

        tracker.forget(c);
        QCOMPARE(tracker.size(), 2);
        QVERIFY(tracker.due(c, t0));
        QCOMPARE(tracker.failures(c), 0);

        tracker.forgetPid(100);
        QCOMPARE(tracker.size(), 0);
        QVERIFY(tracker.due(a, t0));
    }

    void retainOnlyDropsProcessesAFullScanNoLongerSees()
    {
        RetryTracker tracker;
        const ProcessKey alive{100, 1};
        const ProcessKey dead{200, 1};
        tracker.recordFailure(alive, t0, u"x"_s);
        tracker.recordFailure(dead, t0, u"x"_s);
        tracker.retainOnly({alive, ProcessKey{300, 1}});
        QCOMPARE(tracker.size(), 1);
        QCOMPARE(tracker.failures(alive), 1);
        QCOMPARE(tracker.failures(dead), 0);
    }

    void policyChangeAppliesToExistingEntries()
    {
        RetryTracker tracker({1s, 60s, 1});
        const ProcessKey key{5, 5};
        tracker.recordFailure(key, t0, u"x"_s);
        tracker.recordFailure(key, t0, u"x"_s);
        QVERIFY(tracker.exhausted(key));
        tracker.setPolicy({1s, 60s, 5});
        QVERIFY(!tracker.exhausted(key));
        QVERIFY(tracker.due(key, t0.addSecs(2)));
    }
};

QTEST_APPLESS_MAIN(TestRetryTracker)
#include "retrytracker.moc"
