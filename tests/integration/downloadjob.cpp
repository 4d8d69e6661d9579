#include "downloadfixture.h"
#include "progresslog.h"
#include "vod/downloadjob.h"
#include "vod/ytdlpcommand.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

constexpr qint64 eightMiB = 8 * 1024 * 1024;
constexpr int finishTimeoutMs = 30'000;

} // namespace

// One real yt-dlp invocation against the media server: research §9 scenarios 4-6 and 8 (cancel
// of a running invocation), the stall watchdog, and a cancel before anything started.
class DownloadJobTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void progressiveDownloadShowsMonotonicProgress();
    void hlsWithConcurrentFragmentsNeverRegresses();
    void aria2cReadoutIsProgress();
    void killedDownloadResumesFromPart();
    void cancelKillsTheGroupAndKeepsPart();
    void stalledDownloadIsKilled();
    void cancelBeforeStartStartsNothing();
    void destroyedJobKillsItsGroup();
    void failsWithoutAProcess();

private:
    // Runs `job` to its end with `log` attached; the test has failed unless it succeeded.
    static void runToSuccess(DownloadJob &job, ProgressLog &log);
    MediaServer &server() { return m_scene->server(); }

    std::unique_ptr<DownloadScene> m_scene;
};

void DownloadJobTest::init()
{
    m_scene = std::make_unique<DownloadScene>();
}

void DownloadJobTest::runToSuccess(DownloadJob &job, ProgressLog &log)
{
    log.attach(&job);
    runToEnd(job, finishTimeoutMs);
    QVERIFY2(job.result().outcome == DownloadResult::Outcome::Succeeded,
             qPrintable(job.result().failure.detail));
}

// Scenario 4: 8 MiB at 2 MiB/s; progress read from stdout, not stderr.
void DownloadJobTest::progressiveDownloadShowsMonotonicProgress()
{
    const QByteArray source = MediaServer::content(eightMiB, 4);
    server().addFile(u"/videos/v1.mp4"_s, source, 2 * 1024 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));

    DownloadJob job(m_scene->settings(u"/videos/{id}.mp4"_s), u"alice"_s, u"v1"_s);
    ProgressLog log;
    runToSuccess(job, log);
    if (QTest::currentTestFailed())
        return;

    const DownloadResult &result = job.result();
    QCOMPARE(result.path, m_scene->dataDir() + u"/alice/twitch_v1.mp4"_s);
    QCOMPARE(result.size, eightMiB);
    QCOMPARE(QFileInfo(result.path).size(), eightMiB);
    QCOMPARE(DownloadScene::fileSha256(result.path), DownloadScene::sha256(source));
    QVERIFY(!QFileInfo::exists(result.path + u".part"_s));

    QVERIFY2(log.distinctPercents() >= 3, qPrintable(QString::number(log.distinctPercents())));
    QVERIFY(log.neverRegresses());
    QCOMPARE(log.percents.last(), 100.0);
    QCOMPARE(job.progress().bytes(), eightMiB);
    QCOMPARE(job.progress().total(), eightMiB);
    // The database copy: several updates over ~4 s, never two within the second.
    QVERIFY2(log.persistedAt.size() >= 2, qPrintable(QString::number(log.persistedAt.size())));
    QVERIFY2(log.shortestPersistGap() >= 900, qPrintable(QString::number(log.shortestPersistGap())));
}

// Scenario 5: 20 x 64 KiB segments with -N 10 and no ffmpeg on yt-dlp's PATH: the segments are
// concatenated as they are, and the per-thread progress lines never show as a regression.
void DownloadJobTest::hlsWithConcurrentFragmentsNeverRegresses()
{
    server().addHls(u"/hls/h1.m3u8"_s, 20, 64 * 1024, 128 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    QTemporaryDir emptyPath;
    DownloadSettings settings = m_scene->settings(u"/hls/{id}.m3u8"_s);
    settings.environment.insert(u"PATH"_s, emptyPath.path());

    DownloadJob job(settings, u"alice"_s, u"h1"_s);
    ProgressLog log;
    runToSuccess(job, log);
    if (QTest::currentTestFailed())
        return;

    const DownloadResult &result = job.result();
    QCOMPARE(result.size, qint64(1310720));
    QCOMPARE(QFileInfo(result.path).size(), qint64(1310720));
    QVERIFY(log.percents.size() >= 3);
    QVERIFY(log.neverRegresses());
    QCOMPARE(log.percents.last(), 100.0);
    QCOMPARE(job.progress().fragmentCount(), 20);
    const QList<MediaRequest> requests = server().requests();
    const auto segments = std::count_if(requests.cbegin(), requests.cend(),
                                        [](const MediaRequest &r) { return r.path.endsWith(u".ts"_s); });
    QCOMPARE(segments, 20);
}

// With aria2c on PATH it takes the progressive download (16 ranges at once) and its readout lines
// are the progress.
void DownloadJobTest::aria2cReadoutIsProgress()
{
    if (QStandardPaths::findExecutable(u"aria2c"_s).isEmpty())
        QSKIP("aria2c is not installed (installer/install-deps.sh)");
    const QByteArray source = MediaServer::content(eightMiB, 5);
    server().addFile(u"/videos/va.mp4"_s, source, 256 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadSettings settings = m_scene->settings(u"/videos/{id}.mp4"_s);
    settings.aria2c = DownloadSettings::Aria2c::WhenPresent;

    DownloadJob job(settings, u"alice"_s, u"va"_s);
    ProgressLog log;
    runToSuccess(job, log);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(DownloadScene::fileSha256(job.result().path), DownloadScene::sha256(source));
    QVERIFY2(log.distinctPercents() >= 3, qPrintable(QString::number(log.distinctPercents())));
    QVERIFY(log.neverRegresses());
    QCOMPARE(log.percents.last(), 100.0);
    const QList<MediaRequest> requests = server().requests();
    const auto ranged = std::count_if(requests.cbegin(), requests.cend(),
                                      [](const MediaRequest &r) { return !r.range.isEmpty(); });
    QVERIFY2(ranged >= 2, qPrintable(QString::number(ranged)));
}

// Scenario 6: SIGKILL to yt-dlp's group about 3 s in at 1 MiB/s; the next invocation resumes
// the .part with one Range request after the probe.
void DownloadJobTest::killedDownloadResumesFromPart()
{
    const QByteArray source = MediaServer::content(eightMiB, 6);
    server().addFile(u"/videos/v6.mp4"_s, source, 1024 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    const DownloadSettings settings = m_scene->settings(u"/videos/{id}.mp4"_s);
    const QString part = YtDlpCommand::outputPath(settings.dataDir, u"alice"_s, u"v6"_s) + u".part"_s;

    DownloadJob first(settings, u"alice"_s, u"v6"_s);
    QSignalSpy firstFinished(&first, &DownloadJob::finished);
    first.start();
    QTRY_VERIFY_WITH_TIMEOUT(first.progress().bytes() >= 2 * 1024 * 1024, finishTimeoutMs);
    QCOMPARE(::kill(pid_t(-first.processId()), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(firstFinished.size(), 1, 5000);
    QVERIFY(first.result().outcome == DownloadResult::Outcome::Failed);
    QVERIFY(!first.result().failure.terminal());

    const qint64 partSize = QFileInfo(part).size();
    QVERIFY2(partSize > 0 && partSize < eightMiB, qPrintable(QString::number(partSize)));
    const qsizetype before = server().requests().size();

    DownloadJob second(settings, u"alice"_s, u"v6"_s);
    ProgressLog log;
    runToSuccess(second, log);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(DownloadScene::fileSha256(second.result().path), DownloadScene::sha256(source));

    const QList<MediaRequest> requests = server().requests().mid(before);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].range, QString()); // the probe
    QCOMPARE(requests[1].range, u"bytes=%1-"_s.arg(partSize));
    QCOMPARE(requests[1].status, 206);
    QVERIFY2(log.lines.contains(u"[download] Resuming download at byte %1"_s.arg(partSize)),
             qPrintable(log.lines.join(u'\n')));
    QVERIFY(log.neverRegresses());
    QVERIFY(log.percents.first() >= 100.0 * double(partSize) / double(eightMiB) - 1);
}

// Scenario 8, one invocation: a cancel about 3 s in at 256 KiB/s.
void DownloadJobTest::cancelKillsTheGroupAndKeepsPart()
{
    server().addFile(u"/videos/v8.mp4"_s, MediaServer::content(eightMiB, 8), 256 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));

    DownloadJob job(m_scene->settings(u"/videos/{id}.mp4"_s), u"alice"_s, u"v8"_s);
    QSignalSpy started(&job, &DownloadJob::started);
    QSignalSpy finished(&job, &DownloadJob::finished);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().bytes() >= 512 * 1024, finishTimeoutMs);
    QCOMPARE(started.size(), 1);
    const qint64 group = started.first().first().toLongLong();
    QVERIFY(!DownloadScene::groupMembers(group).isEmpty());

    QElapsedTimer clock;
    clock.start();
    job.cancel();
    job.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(job.result().outcome == DownloadResult::Outcome::Canceled);
    QCOMPARE(DownloadScene::groupMembers(group), QList<qint64>());
    QVERIFY(QFileInfo(job.outputPath() + u".part"_s).size() > 0);
    QVERIFY(!QFileInfo::exists(job.outputPath()));
}

// A body that stops arriving (connection open, no bytes) fails as "stalled", retryable, and
// takes yt-dlp's group with it.
void DownloadJobTest::stalledDownloadIsKilled()
{
    server().addFile(u"/videos/vs.mp4"_s, MediaServer::content(eightMiB, 9), 0, 0, 1024 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadSettings settings = m_scene->settings(u"/videos/{id}.mp4"_s);
    settings.stallTimeout = std::chrono::seconds(2);

    DownloadJob job(settings, u"alice"_s, u"vs"_s);
    QSignalSpy started(&job, &DownloadJob::started);
    runToEnd(job, finishTimeoutMs);
    const DownloadResult &result = job.result();
    QVERIFY(result.outcome == DownloadResult::Outcome::Failed);
    QVERIFY(!result.failure.terminal());
    QVERIFY2(result.failure.reason.startsWith(u"stalled: no progress for 2 s"_s),
             qPrintable(result.failure.reason));
    // yt-dlp reports whole blocks; the one cut short by the stall is never reported.
    QVERIFY(job.progress().bytes() > 0 && job.progress().bytes() <= 1024 * 1024);
    QCOMPARE(DownloadScene::groupMembers(started.first().first().toLongLong()), QList<qint64>());
}

void DownloadJobTest::cancelBeforeStartStartsNothing()
{
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadJob job(m_scene->settings(u"/videos/{id}.mp4"_s), u"alice"_s, u"v0"_s);
    QSignalSpy started(&job, &DownloadJob::started);
    QSignalSpy finished(&job, &DownloadJob::finished);
    job.cancel();
    job.start();
    QCOMPARE(finished.size(), 0); // never from within start()
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(job.result().outcome == DownloadResult::Outcome::Canceled);
    QCOMPARE(started.size(), 0);
    QCOMPARE(job.processId(), qint64(0));
    QVERIFY(server().requests().isEmpty());
}

void DownloadJobTest::destroyedJobKillsItsGroup()
{
    server().addFile(u"/videos/vd.mp4"_s, MediaServer::content(eightMiB, 11), 256 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    auto job = std::make_unique<DownloadJob>(m_scene->settings(u"/videos/{id}.mp4"_s), u"alice"_s, u"vd"_s);
    job->start();
    QTRY_VERIFY_WITH_TIMEOUT(job->progress().bytes() > 0, finishTimeoutMs);
    const qint64 group = job->processId();
    QVERIFY(!DownloadScene::groupMembers(group).isEmpty());
    job.reset();
    QCOMPARE(DownloadScene::groupMembers(group), QList<qint64>());
}

// Nothing to run: a VOD id that cannot name a file (terminal), a yt-dlp that is not there
// (retryable: it is the host's problem, not the VOD's).
void DownloadJobTest::failsWithoutAProcess()
{
    DownloadSettings settings = m_scene->settings(u"/videos/{id}.mp4"_s);
    DownloadJob invalid(settings, u"alice"_s, u"../etc"_s);
    runToEnd(invalid, finishTimeoutMs);
    QVERIFY(invalid.result().outcome == DownloadResult::Outcome::Failed);
    QCOMPARE(invalid.result().failure.kind, DownloadFailure::Kind::Invalid);

    QTemporaryDir empty;
    settings.ytDlpProgram = empty.filePath(u"yt-dlp"_s);
    DownloadJob missing(settings, u"alice"_s, u"v1"_s);
    QSignalSpy started(&missing, &DownloadJob::started);
    runToEnd(missing, finishTimeoutMs);
    QVERIFY(missing.result().outcome == DownloadResult::Outcome::Failed);
    QVERIFY(!missing.result().failure.terminal());
    QVERIFY2(missing.result().failure.reason.startsWith(u"yt-dlp failed to start: "_s),
             qPrintable(missing.result().failure.reason));
    QCOMPARE(started.size(), 0);
    QCOMPARE(missing.processId(), qint64(0));
}

QTEST_GUILESS_MAIN(DownloadJobTest)
#include "downloadjob.moc"
