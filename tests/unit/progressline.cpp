#include "vod/downloadprogress.h"
#include "vod/progressline.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::ProgressLine)

namespace {

using Status = ProgressLine::Status;

ProgressLine line(Status status, std::optional<qint64> downloaded, std::optional<qint64> total,
                  std::optional<qint64> estimate = {}, std::optional<int> index = {},
                  std::optional<int> count = {})
{
    return {status, downloaded, total, estimate, index, count};
}

// Applies each line; the percentages shown after each one.
QList<double> shown(DownloadProgress &progress, const QList<QByteArray> &lines)
{
    QList<double> percents;
    for (const QByteArray &text : lines) {
        const auto parsed = parseProgressLine(text);
        if (parsed && progress.apply(*parsed))
            percents.append(progress.percent());
    }
    return percents;
}

} // namespace

// parseProgressLine on lines yt-dlp 2023.03.04 printed for progressTemplate() (progressive, HLS
// with -N 10, resumed) and on aria2c's readout, and DownloadProgress's monotonic view of them.
class ProgressLineTest final : public QObject
{
    Q_OBJECT

private slots:
    void templateIsWhatTheParserReads();
    void parses_data();
    void parses();
    void ignoresOtherLines_data();
    void ignoresOtherLines();
    void progressiveReachesHundredOnFinished();
    void hlsThreadsNeverRegress();
    void growingEstimateNeverLowersPercent();
    void unfinishedStaysBelowHundred();
    void unknownTotalKeepsBytes();
};

void ProgressLineTest::templateIsWhatTheParserReads()
{
    QCOMPARE(progressTemplate(),
             u"download:PWPROG %(progress.status)s %(progress.downloaded_bytes)s "
             "%(progress.total_bytes)s %(progress.total_bytes_estimate)s "
             "%(progress.fragment_index)s %(progress.fragment_count)s"_s);
}

void ProgressLineTest::parses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ProgressLine>("expected");
    QTest::newRow("progressive") << QByteArray("PWPROG downloading 1024 8388608 NA NA NA")
                                 << line(Status::Downloading, 1024, 8388608);
    QTest::newRow("finished") << QByteArray("PWPROG finished 8388608 8388608 NA NA NA")
                              << line(Status::Finished, 8388608, 8388608);
    QTest::newRow("hls estimate") << QByteArray("PWPROG downloading 1245184 NA 1310720.0 19 20")
                                  << line(Status::Downloading, 1245184, {}, 1310720, 19, 20);
    QTest::newRow("all NA") << QByteArray("PWPROG downloading NA NA NA NA NA")
                            << line(Status::Downloading, {}, {});
    QTest::newRow("carriage return, blanks") << QByteArray("\r  PWPROG downloading 7 9 NA NA NA \r")
                                             << line(Status::Downloading, 7, 9);
    QTest::newRow("other status") << QByteArray("PWPROG error 5 NA NA NA NA") << line(Status::Other, 5, {});
    QTest::newRow("garbage field") << QByteArray("PWPROG downloading -5 1e3 1.2.3 0x1 2.5")
                                   << line(Status::Downloading, {}, {});
    QTest::newRow("beyond any VOD") << QByteArray("PWPROG downloading 99999999999999999999 NA NA NA NA")
                                    << line(Status::Downloading, {}, {});
    QTest::newRow("aria2c") << QByteArray("[#658bf8 2.0MiB/8.0MiB(25%) CN:8 DL:2.0MiB ETA:2s]")
                            << line(Status::Downloading, 2097152, 8388608);
    QTest::newRow("aria2c no ETA") << QByteArray("[#658bf8 6.0MiB/8.0MiB(75%) CN:8 DL:2.0MiB]")
                                   << line(Status::Downloading, 6291456, 8388608);
    QTest::newRow("aria2c KiB") << QByteArray("[#a1 512KiB/1.0GiB(0%) CN:1 DL:0B]")
                                << line(Status::Downloading, 524288, 1073741824);
    QTest::newRow("aria2c unknown size") << QByteArray("[#658bf8 0B/0B CN:1 DL:0B]")
                                         << line(Status::Downloading, 0, {});
}

void ProgressLineTest::parses()
{
    QFETCH(QByteArray, text);
    QFETCH(ProgressLine, expected);
    const auto parsed = parseProgressLine(text);
    QVERIFY(parsed);
    QVERIFY(*parsed == expected);
}

void ProgressLineTest::ignoresOtherLines_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("destination") << QByteArray("[download] Destination: /data/alice/twitch_v1.mp4");
    QTest::newRow("resume") << QByteArray("[download] Resuming download at byte 2096128");
    QTest::newRow("yt-dlp's own bar") << QByteArray("[download]  50.1% of ~   1.25MiB at   34.12KiB/s ETA 00:00 (frag 10/20)");
    QTest::newRow("marker alone") << QByteArray("PWPROG");
    QTest::newRow("marker glued") << QByteArray("PWPROGdownloading 1 2 3 4 5");
    QTest::newRow("five fields") << QByteArray("PWPROG downloading 1 2 3 4");
    QTest::newRow("seven fields") << QByteArray("PWPROG downloading 1 2 3 4 5 6");
    QTest::newRow("empty status") << QByteArray("PWPROG  1 2 3 4 5");
    QTest::newRow("aria2c summary") << QByteArray(" *** Download Progress Summary as of Tue Dec  1 22:20:04 2026 *** ");
    QTest::newRow("aria2c file") << QByteArray("FILE: ./out//./twitch_v1.mp4.part");
    QTest::newRow("aria2c bad gid") << QByteArray("[#zz 1B/2B]");
    QTest::newRow("aria2c bad unit") << QByteArray("[#658bf8 2.0XiB/8.0MiB(25%)]");
    QTest::newRow("empty") << QByteArray();
}

void ProgressLineTest::ignoresOtherLines()
{
    QFETCH(QByteArray, text);
    QVERIFY(!parseProgressLine(text));
}

void ProgressLineTest::progressiveReachesHundredOnFinished()
{
    DownloadProgress progress;
    const QList<double> percents = shown(progress, {"PWPROG downloading 1024 8388608 NA NA NA",
                                                    "PWPROG downloading 4192836 8388608 NA NA NA",
                                                    "PWPROG downloading 8388608 8388608 NA NA NA",
                                                    "PWPROG finished 8388608 8388608 NA NA NA",
                                                    "PWPROG downloading 5 8388608 NA NA NA"});
    QCOMPARE(percents.size(), 4);
    QVERIFY(std::is_sorted(percents.cbegin(), percents.cend()));
    QVERIFY(percents[2] < 100); // all bytes, but yt-dlp has not said finished yet
    QCOMPARE(percents.last(), 100.0);
    QVERIFY(progress.finished());
    QCOMPARE(progress.bytes(), qint64(8388608));
    QCOMPARE(progress.total(), qint64(8388608));
}

// Real -N 10 lines: each worker reports its own count, so the raw numbers fall back to 1024.
void ProgressLineTest::hlsThreadsNeverRegress()
{
    DownloadProgress progress;
    const QList<double> percents = shown(progress, {"PWPROG downloading 15360 NA 1310720.0 0 20",
                                                    "PWPROG downloading 1024 NA 1310720.0 0 20",
                                                    "PWPROG downloading 687104 NA 1310720.0 10 20",
                                                    "PWPROG downloading 3072 NA 1310720.0 10 20",
                                                    "PWPROG downloading 1245184 NA 1310720.0 19 20",
                                                    "PWPROG downloading 1310720 NA 1310720.0 20 20",
                                                    "PWPROG finished 1310720 1310720 NA NA NA"});
    QVERIFY(std::is_sorted(percents.cbegin(), percents.cend()));
    QCOMPARE(percents.last(), 100.0);
    QCOMPARE(progress.bytes(), qint64(1310720));
    QCOMPARE(progress.fragmentIndex(), 20);
    QCOMPARE(progress.fragmentCount(), 20);
}

void ProgressLineTest::growingEstimateNeverLowersPercent()
{
    DownloadProgress progress;
    QVERIFY(progress.apply(line(Status::Downloading, 500, {}, 1000)));
    QCOMPARE(progress.percent(), 50.0);
    QVERIFY(progress.apply(line(Status::Downloading, 600, {}, 2000)));
    QCOMPARE(progress.total(), qint64(2000));
    QCOMPARE(progress.percent(), 50.0);
    QVERIFY(!progress.apply(line(Status::Other, 900, {}, 1000)));
    QVERIFY(!progress.apply(line(Status::Downloading, 600, {}, 2000)));
}

void ProgressLineTest::unfinishedStaysBelowHundred()
{
    DownloadProgress progress;
    progress.apply(line(Status::Downloading, 1200, {}, 1000));
    QCOMPARE(progress.percent(), 99.9);
    QVERIFY(!progress.finished());
}

void ProgressLineTest::unknownTotalKeepsBytes()
{
    DownloadProgress progress;
    QVERIFY(progress.apply(line(Status::Downloading, 4096, {})));
    QCOMPARE(progress.bytes(), qint64(4096));
    QCOMPARE(progress.total(), qint64(0));
    QCOMPARE(progress.percent(), 0.0);
}

QTEST_APPLESS_MAIN(ProgressLineTest)
#include "progressline.moc"
