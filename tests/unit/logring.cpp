#include "core/log/logring.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using Pitwall::LogEntry;
using Pitwall::LogRing;

namespace {

LogEntry entry(const QString &message)
{
    LogEntry e;
    e.timestamp = QDateTime::currentDateTimeUtc();
    e.component = u"test"_s;
    e.message = message;
    return e;
}

QList<quint64> idsOf(const QList<LogEntry> &entries)
{
    QList<quint64> ids;
    for (const LogEntry &e : entries)
        ids.append(e.id);
    return ids;
}

void appendNumbered(LogRing &ring, int count)
{
    for (int i = 1; i <= count; ++i)
        ring.append(entry(u"m%1"_s.arg(i)));
}

} // namespace

class TestLogRing final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idsStartAtOneAndIncrease()
    {
        LogRing ring(10);
        QCOMPARE(ring.lastId(), quint64(0));
        QVERIFY(ring.entriesSince(0).isEmpty());
        LogEntry first = entry(u"first"_s);
        first.id = 77; // ignored: the ring numbers entries itself
        QCOMPARE(ring.append(first), quint64(1));
        QCOMPARE(ring.append(entry(u"second"_s)), quint64(2));
        QCOMPARE(ring.lastId(), quint64(2));

        const QList<LogEntry> all = ring.entriesSince(0);
        QCOMPARE(idsOf(all), (QList<quint64>{1, 2}));
        QCOMPARE(all.at(0).message, u"first"_s);
        QCOMPARE(all.at(1).message, u"second"_s);
    }

    void sinceAndLimit()
    {
        LogRing ring(100);
        appendNumbered(ring, 10);
        QCOMPARE(idsOf(ring.entriesSince(7)), (QList<quint64>{8, 9, 10}));
        QCOMPARE(idsOf(ring.entriesSince(2, 3)), (QList<quint64>{3, 4, 5}));
        QCOMPARE(ring.entriesSince(3, 3).constFirst().message, u"m4"_s);
        QVERIFY(ring.entriesSince(10).isEmpty());
        QVERIFY(ring.entriesSince(1000).isEmpty());
        QVERIFY(ring.entriesSince(0, 0).isEmpty());
        QVERIFY(ring.entriesSince(0, -5).isEmpty());
        QCOMPARE(ring.entriesSince(0).size(), 10);
    }

    void defaultLimitIs500()
    {
        LogRing ring;
        QCOMPARE(ring.capacity(), 2000);
        appendNumbered(ring, 600);
        const QList<LogEntry> page = ring.entriesSince(0);
        QCOMPARE(page.size(), 500);
        QCOMPARE(page.constLast().id, quint64(500));
    }

    void wrapAroundKeepsNewest()
    {
        LogRing ring(5);
        appendNumbered(ring, 12);
        QCOMPARE(ring.lastId(), quint64(12));
        // Older than what is kept: starts at the oldest kept entry.
        const QList<LogEntry> kept = ring.entriesSince(0);
        QCOMPARE(idsOf(kept), (QList<quint64>{8, 9, 10, 11, 12}));
        QCOMPARE(kept.constFirst().message, u"m8"_s);
        QCOMPARE(kept.constLast().message, u"m12"_s);
        QCOMPARE(idsOf(ring.entriesSince(3)), (QList<quint64>{8, 9, 10, 11, 12}));
        QCOMPARE(idsOf(ring.entriesSince(9)), (QList<quint64>{10, 11, 12}));
        QCOMPARE(idsOf(ring.entriesSince(8, 2)), (QList<quint64>{9, 10}));
        QCOMPARE(idsOf(ring.entriesSince(0, 1)), (QList<quint64>{8}));
    }

    void capacityBelowOneIsOne()
    {
        LogRing ring(0);
        QCOMPARE(ring.capacity(), 1);
        appendNumbered(ring, 3);
        QCOMPARE(idsOf(ring.entriesSince(0)), (QList<quint64>{3}));
    }

    void concurrentAppendsLoseNothing()
    {
        constexpr int Threads = 4;
        constexpr int PerThread = 5000;
        LogRing ring(Threads * PerThread);
        QList<quint64> returned[Threads];
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back(QThread::create([&ring, &ids = returned[t], t] {
                for (int i = 0; i < PerThread; ++i)
                    ids.append(ring.append(entry(u"t%1-%2"_s.arg(t).arg(i))));
            }));
        }
        for (auto &thread : threads)
            thread->start();
        for (auto &thread : threads)
            QVERIFY(thread->wait(30000));

        QSet<quint64> seen;
        for (const QList<quint64> &ids : returned) {
            QCOMPARE(ids.size(), PerThread);
            for (int i = 1; i < ids.size(); ++i)
                QVERIFY(ids.at(i) > ids.at(i - 1)); // one thread's appends are ordered
            for (quint64 id : ids)
                seen.insert(id);
        }
        QCOMPARE(seen.size(), Threads * PerThread);
        QCOMPARE(ring.lastId(), quint64(Threads * PerThread));

        const QList<LogEntry> all = ring.entriesSince(0, Threads * PerThread);
        QCOMPARE(all.size(), Threads * PerThread);
        QSet<QString> messages;
        for (qsizetype i = 0; i < all.size(); ++i) {
            QCOMPARE(all.at(i).id, quint64(i + 1));
            messages.insert(all.at(i).message);
        }
        QCOMPARE(messages.size(), Threads * PerThread);
    }

    void signalCarriesTheStoredEntry()
    {
        LogRing ring(3);
        QSignalSpy spy(&ring, &LogRing::entryAppended);
        ring.append(entry(u"hello"_s));
        QCOMPARE(spy.size(), 1);
        const auto signalled = spy.at(0).at(0).value<LogEntry>();
        QCOMPARE(signalled.id, quint64(1));
        QCOMPARE(signalled.message, u"hello"_s);
    }

    void signalTravelsQueuedAcrossThreads()
    {
        LogRing ring(10);
        QObject receiver;
        QList<LogEntry> received;
        connect(&ring, &LogRing::entryAppended, &receiver,
                [&received](const LogEntry &e) { received.append(e); }, Qt::QueuedConnection);

        std::unique_ptr<QThread> writer(QThread::create([&ring] {
            LogEntry e = entry(u"from worker"_s);
            e.fields.insert(u"dl_ms"_s, 1234);
            ring.append(e);
        }));
        writer->start();
        QVERIFY(writer->wait(10000));
        QVERIFY(received.isEmpty()); // queued: delivered only by this thread's event loop
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received.at(0).id, quint64(1));
        QCOMPARE(received.at(0).message, u"from worker"_s);
        QCOMPARE(received.at(0).fields.value(u"dl_ms"_s).toInt(), 1234);
    }
};

QTEST_GUILESS_MAIN(TestLogRing)
#include "logring.moc"
