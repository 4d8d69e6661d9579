#include "relay/replaycursor.h"

#include <QtTest>

using Pitwall::EventKey;
using Pitwall::ReplayCursor;

// The per-(stream, epoch) delivery rules a receiver session follows (research §1.8 with the
// spec's per-epoch cursors).
class ReplayCursorTest final : public QObject
{
    Q_OBJECT

private slots:
    void freshCursorDeliversFromTheFloorEpoch()
    {
        const ReplayCursor cursor(2, {});
        QVERIFY(!cursor.isDue({1, 5}));
        QVERIFY(cursor.isDue({2, 1}));
        QVERIFY(cursor.isDue({3, 1}));
        QCOMPARE(cursor.readPosition(), (EventKey{2, 0}));
    }

    void persistedCursorsArePerEpoch()
    {
        ReplayCursor cursor(1, {{1, 7}, {2, 3}});
        QVERIFY(!cursor.isDue({1, 7}));
        QVERIFY(cursor.isDue({1, 8}));
        QVERIFY(!cursor.isDue({2, 3}));
        QVERIFY(cursor.isDue({2, 4}));
        QCOMPARE(cursor.readPosition(), (EventKey{1, 7}));
        // Reading on into epoch 2 jumps over what that epoch's cursor already covers.
        cursor.markRead({2, 1});
        QCOMPARE(cursor.readPosition(), (EventKey{2, 3}));
    }

    void lateEventsOfAnOlderEpochStayDue()
    {
        ReplayCursor cursor(1, {});
        cursor.advance({1, 10});
        cursor.advance({2, 1});
        QVERIFY(cursor.isDue({1, 11}));
        QVERIFY(!cursor.isDue({1, 10}));
        QVERIFY(!cursor.isDue({2, 1}));
    }

    void raiseNeverLowers()
    {
        ReplayCursor cursor(1, {{1, 7}});
        cursor.raise(1, 4);
        QVERIFY(!cursor.isDue({1, 7}));
        cursor.raise(1, 9);
        QVERIFY(!cursor.isDue({1, 9}));
        QVERIFY(cursor.isDue({1, 10}));
    }

    void targetedReplayIsOneEpochUpToItsBound()
    {
        const ReplayCursor cursor = ReplayCursor::targeted(1, 3, 10);
        QCOMPARE(cursor.onlyEpoch(), std::optional<qint64>(1));
        QVERIFY(!cursor.isDue({1, 2}));
        QVERIFY(cursor.isDue({1, 3}));
        QVERIFY(cursor.isDue({1, 10}));
        QVERIFY(!cursor.isDue({1, 11}));
        QVERIFY(!cursor.isDue({2, 5}));
        QVERIFY(!cursor.isPastBound({1, 9}));
        QVERIFY(cursor.isPastBound({1, 10}));
        QCOMPARE(cursor.readPosition(), (EventKey{1, 2}));
        // from_seq below 1 is clamped, as the reference does.
        QVERIFY(ReplayCursor::targeted(1, 0, 5).isDue({1, 1}));
    }
};

QTEST_APPLESS_MAIN(ReplayCursorTest)
#include "replaycursor.moc"
