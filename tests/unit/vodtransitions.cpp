#include "vod/cycleretrypolicy.h"
#include "vod/vodstate.h"
#include "vod/vodtransitions.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using namespace std::chrono_literals;

class TestVodTransitions final : public QObject
{
    Q_OBJECT

private slots:
    void stateTextRoundTrips();
    void predicatesPartitionTheStates();
    void finishedStatesOnlyRequeue();
    void pendingWorkCanBeCanceledAndClaimed();
    void workerEdges();
    void targetsAreInStateOrder();
    void retryDelaysDoubleUpToTheCap();
};

void TestVodTransitions::stateTextRoundTrips()
{
    // The words of the schema's CHECK constraint, in the plan's order.
    const QStringList words{u"queued"_s,       u"downloading"_s,  u"downloaded"_s,
                            u"uploading"_s,    u"done"_s,         u"done_no_upload"_s,
                            u"failed_retry"_s, u"failed_terminal"_s, u"canceled"_s,
                            u"throttled"_s};
    QCOMPARE(allVodStates().size(), words.size());
    for (qsizetype n = 0; n < words.size(); ++n) {
        const VodState state = allVodStates().at(n);
        QCOMPARE(toText(state), words.at(n));
        QCOMPARE(vodStateFromText(words.at(n)), state);
    }
    QCOMPARE(vodStateFromText(u"Queued"), std::nullopt);
    QCOMPARE(vodStateFromText(u""), std::nullopt);
    QCOMPARE(vodStateFromText(u"half-open"), std::nullopt);
}

void TestVodTransitions::predicatesPartitionTheStates()
{
    QList<VodState> active, waiting, processed;
    for (const VodState state : allVodStates()) {
        if (isActive(state))
            active << state;
        if (isWaiting(state))
            waiting << state;
        if (isProcessed(state))
            processed << state;
        QCOMPARE(isPending(state), isActive(state) || isWaiting(state));
        QVERIFY(!(isPending(state) && isProcessed(state)));
    }
    QCOMPARE(active, (QList<VodState>{VodState::Downloading, VodState::Downloaded,
                                     VodState::Uploading}));
    QCOMPARE(waiting, (QList<VodState>{VodState::Queued, VodState::FailedRetry,
                                      VodState::Throttled}));
    QCOMPARE(processed, (QList<VodState>{VodState::Done, VodState::DoneNoUpload}));
}

void TestVodTransitions::finishedStatesOnlyRequeue()
{
    for (const VodState state : {VodState::Done, VodState::DoneNoUpload, VodState::FailedTerminal,
                                 VodState::Canceled}) {
        QCOMPARE(VodTransitions::targets(state), QList<VodState>{VodState::Queued});
    }
}

void TestVodTransitions::pendingWorkCanBeCanceledAndClaimed()
{
    for (const VodState state : allVodStates()) {
        QCOMPARE(VodTransitions::isAllowed(state, VodState::Canceled), isPending(state));
        // claimNext() moves any pending row to the start of its next stage.
        if (isPending(state)) {
            QVERIFY(VodTransitions::isAllowed(state, VodState::Downloading));
            QVERIFY(VodTransitions::isAllowed(state, VodState::Downloaded));
        }
    }
}

void TestVodTransitions::workerEdges()
{
    using S = VodState;
    QVERIFY(VodTransitions::isAllowed(S::Downloading, S::Downloaded));
    QVERIFY(VodTransitions::isAllowed(S::Downloading, S::FailedRetry));
    QVERIFY(VodTransitions::isAllowed(S::Downloading, S::FailedTerminal));
    QVERIFY(VodTransitions::isAllowed(S::Downloaded, S::Uploading));
    QVERIFY(VodTransitions::isAllowed(S::Downloaded, S::DoneNoUpload));
    QVERIFY(VodTransitions::isAllowed(S::Downloaded, S::Throttled));
    QVERIFY(VodTransitions::isAllowed(S::Uploading, S::Done));
    QVERIFY(VodTransitions::isAllowed(S::Uploading, S::Throttled));
    // Nothing finishes without its stage: no upload from the queue, no done without uploading.
    QVERIFY(!VodTransitions::isAllowed(S::Queued, S::Uploading));
    QVERIFY(!VodTransitions::isAllowed(S::Queued, S::Done));
    QVERIFY(!VodTransitions::isAllowed(S::Downloading, S::Done));
    QVERIFY(!VodTransitions::isAllowed(S::Downloading, S::Uploading));
    QVERIFY(!VodTransitions::isAllowed(S::Uploading, S::DoneNoUpload));
    QVERIFY(!VodTransitions::isAllowed(S::FailedTerminal, S::Downloading));
    QVERIFY(!VodTransitions::isAllowed(S::Canceled, S::Downloading));
}

void TestVodTransitions::targetsAreInStateOrder()
{
    const QList<VodState> order = allVodStates();
    for (const VodState state : order) {
        const QList<VodState> targets = VodTransitions::targets(state);
        QVERIFY(!targets.isEmpty());
        for (qsizetype n = 1; n < targets.size(); ++n)
            QVERIFY(order.indexOf(targets.at(n - 1)) < order.indexOf(targets.at(n)));
    }
}

void TestVodTransitions::retryDelaysDoubleUpToTheCap()
{
    const CycleRetryPolicy policy{5, 10min, 1h};
    QCOMPARE(policy.delayAfter(1), 10min);
    QCOMPARE(policy.delayAfter(2), 20min);
    QCOMPARE(policy.delayAfter(3), 40min);
    QCOMPARE(policy.delayAfter(4), 1h);
    QCOMPARE(policy.delayAfter(1000), 1h);
    // A cap below the base leaves the base.
    QCOMPARE((CycleRetryPolicy{5, 10min, 1min}.delayAfter(3)), 10min);
}

QTEST_GUILESS_MAIN(TestVodTransitions)
#include "vodtransitions.moc"
