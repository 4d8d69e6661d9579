// HeapTrimmer against glibc's real allocator: memory that a worker thread freed, and that free()
// kept mapped, goes back to the system when the trimmer runs, on its timer or when asked; once
// started, a thread's freed arena top goes back as it is freed.
#include "core/heaptrimmer.h"

#include <QFile>
#include <QTest>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

constexpr qint64 Block = 4096;
constexpr qint64 Blocks = 16384; // 64 MiB
constexpr qint64 KeepEvery = 64;
constexpr qint64 BigBlock = 8 << 20;
constexpr qint64 TopBlocks = 1536; // 6 MiB

qint64 rssAnonKib()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("RssAnon:"))
            return line.mid(8).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// `count` blocks of `size` bytes, each written to so that its pages are resident. malloc is
// called through a volatile pointer, so the compiler cannot drop a block that is only freed.
std::vector<void *> writtenBlocks(qint64 count, qint64 size = Block)
{
    static void *(*volatile allocate)(std::size_t) = std::malloc;
    std::vector<void *> blocks;
    for (qint64 i = 0; i < count; ++i) {
        blocks.push_back(allocate(size));
        std::memset(blocks.back(), 0x5a, size);
    }
    return blocks;
}

// On a thread of its own, as the relay's workers allocate: 64 MiB in 4 KiB blocks, written to,
// then all but every 64th freed. The kept blocks pin the arena, so free() gives nothing back.
std::vector<void *> fragmentHeap()
{
    std::vector<void *> kept;
    std::thread worker([&kept] {
        const std::vector<void *> blocks = writtenBlocks(Blocks);
        for (qint64 i = 0; i < Blocks; ++i) {
            if (i % KeepEvery == KeepEvery - 1)
                kept.push_back(blocks[i]);
            else
                std::free(blocks[i]);
        }
    });
    worker.join();
    return kept;
}

// On a thread of its own: one 8 MiB block allocated and freed, which, unless the thresholds are
// fixed, raises glibc's trim threshold to 16 MiB; then 6 MiB in 4 KiB blocks, written to and
// freed last first, so that each block joins the arena's free top.
void growAndFreeArenaTop()
{
    std::thread worker([] {
        std::free(writtenBlocks(1, BigBlock).front());
        const std::vector<void *> blocks = writtenBlocks(TopBlocks);
        for (auto block = blocks.rbegin(); block != blocks.rend(); ++block)
            std::free(*block);
    });
    worker.join();
}

void release(const std::vector<void *> &kept)
{
    for (void *block : kept)
        std::free(block);
}

} // namespace

class HeapTrimmerTest final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
#if !defined(__GLIBC__)
        QSKIP("malloc_trim is glibc's");
#endif
        HeapTrimmer::trim();
    }

    // First in the file: once start() has fixed the thresholds they stay fixed in the process.
    void startedTrimmerKeepsArenaTopsSmall()
    {
        const qint64 before = rssAnonKib();
        growAndFreeArenaTop();
        HeapTrimmer::trim();
        const qint64 kept = rssAnonKib();
        // glibc's own behaviour, the reason for start(): the freed top stays, trim or not.
        QVERIFY2(kept - before > 4 * 1024,
                 qPrintable(u"RssAnon %1 -> %2 KiB"_s.arg(before).arg(kept)));
        HeapTrimmer trimmer;
        trimmer.start();
        growAndFreeArenaTop();
        const qint64 after = rssAnonKib();
        QVERIFY2(after - before < 1024,
                 qPrintable(u"RssAnon %1 -> %2 -> %3 KiB"_s.arg(before).arg(kept).arg(after)));
    }

    void trimGivesFreedPagesBack()
    {
        const qint64 before = rssAnonKib();
        const std::vector<void *> kept = fragmentHeap();
        const qint64 fragmented = rssAnonKib();
        // 63 of every 64 blocks are free, yet still resident.
        QVERIFY2(fragmented - before > 48 * 1024,
                 qPrintable(u"RssAnon %1 -> %2 KiB"_s.arg(before).arg(fragmented)));
        QVERIFY(HeapTrimmer::trim());
        const qint64 trimmed = rssAnonKib();
        QVERIFY2(fragmented - trimmed > 40 * 1024,
                 qPrintable(u"RssAnon %1 -> %2 -> %3 KiB"_s.arg(before).arg(fragmented)
                                    .arg(trimmed)));
        release(kept);
    }

    void timerTrims()
    {
        const std::vector<void *> kept = fragmentHeap();
        const qint64 fragmented = rssAnonKib();
        HeapTrimmer trimmer(std::chrono::milliseconds(20));
        QTest::qWait(100);
        QCOMPARE_GE(rssAnonKib(), fragmented - 1024); // not started: nothing trimmed
        trimmer.start();
        QTRY_VERIFY2(fragmented - rssAnonKib() > 40 * 1024,
                     qPrintable(u"RssAnon %1 -> %2 KiB"_s.arg(fragmented).arg(rssAnonKib())));
        release(kept);
    }
};

QTEST_GUILESS_MAIN(HeapTrimmerTest)
#include "heaptrimmer.moc"
