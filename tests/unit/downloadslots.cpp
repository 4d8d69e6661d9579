#include "vod/downloadslots.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// DownloadSlots: MAX_CONCURRENT_DOWNLOADS shared by several pipelines on one thread.
class DownloadSlotsTest final : public QObject
{
    Q_OBJECT

private slots:
    void grantsUpToCapacityInOrder();
    void withdrawnRequestIsNeverGranted();
    void releaseBeforeTheCallbackRunsSkipsIt();
    void destroyedContextGivesItsTicketBack();
    void largerCapacityGrantsWaiting();
};

void DownloadSlotsTest::grantsUpToCapacityInOrder()
{
    DownloadSlots pool(2);
    QObject pipeline;
    QList<int> granted;
    QList<DownloadSlots::Ticket> tickets;
    for (int i = 0; i < 4; ++i)
        tickets.append(pool.acquire(&pipeline, [&granted, i] { granted.append(i); }));
    QCOMPARE(granted, QList<int>()); // never from within acquire()
    QCOMPARE(pool.active(), 2);
    QCOMPARE(pool.waiting(), 2);
    QTRY_COMPARE(granted, (QList<int>{0, 1}));

    pool.release(tickets[1]);
    QTRY_COMPARE(granted, (QList<int>{0, 1, 2}));
    QCOMPARE(pool.active(), 2);
    pool.release(tickets[1]); // twice: ignored
    QCOMPARE(pool.active(), 2);
    pool.release(tickets[0]);
    pool.release(tickets[2]);
    QTRY_COMPARE(granted, (QList<int>{0, 1, 2, 3}));
    QCOMPARE(pool.active(), 1);
    QCOMPARE(pool.waiting(), 0);
}

void DownloadSlotsTest::withdrawnRequestIsNeverGranted()
{
    DownloadSlots pool(1);
    QObject pipeline;
    int calls = 0;
    const auto first = pool.acquire(&pipeline, [&calls] { ++calls; });
    const auto waiting = pool.acquire(&pipeline, [] { QFAIL("a withdrawn request was granted"); });
    pool.release(waiting);
    QCOMPARE(pool.waiting(), 0);
    QTRY_COMPARE(calls, 1);
    pool.release(first);
    QCOMPARE(pool.active(), 0);
    QTest::qWait(50); // nothing is left to grant
}

void DownloadSlotsTest::releaseBeforeTheCallbackRunsSkipsIt()
{
    DownloadSlots pool(1);
    QObject pipeline;
    QSignalSpy active(&pool, &DownloadSlots::activeChanged);
    const auto ticket = pool.acquire(&pipeline, [] { QFAIL("called after release"); });
    pool.release(ticket);
    QTest::qWait(50);
    QCOMPARE(active.size(), 2);
    QCOMPARE(active.last().first().toInt(), 0);
}

void DownloadSlotsTest::destroyedContextGivesItsTicketBack()
{
    DownloadSlots pool(1);
    auto gone = std::make_unique<QObject>();
    QObject other;
    bool granted = false;
    pool.acquire(gone.get(), [] {});
    pool.acquire(&other, [&granted] { granted = true; });
    QCOMPARE(pool.waiting(), 1);
    gone.reset();
    QCOMPARE(pool.active(), 1);
    QTRY_VERIFY(granted);
}

void DownloadSlotsTest::largerCapacityGrantsWaiting()
{
    DownloadSlots pool(1);
    QObject pipeline;
    int granted = 0;
    for (int i = 0; i < 3; ++i)
        pool.acquire(&pipeline, [&granted] { ++granted; });
    QTRY_COMPARE(granted, 1);
    pool.setCapacity(3);
    QTRY_COMPARE(granted, 3);
    QCOMPARE(pool.active(), 3);
}

QTEST_GUILESS_MAIN(DownloadSlotsTest)
#include "downloadslots.moc"
