#include "downloadfixture.h"
#include "vod/downloadattempts.h"
#include "vod/downloadjob.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

constexpr qint64 eightMiB = 8 * 1024 * 1024;
constexpr int finishTimeoutMs = 40'000;

} // namespace

// A download cycle of bounded yt-dlp invocations with real yt-dlp: research §9 scenarios 7, 8
// and 9 (DOWNLOAD_MAX_ATTEMPTS=3, backoff base 1 s).
class DownloadAttemptsTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void droppedConnectionResumesInsideOneInvocation();
    void cancelStartsNoFurtherInvocation();
    void cancelDuringBackoffEndsAtOnce();
    void notFoundIsTerminalAfterOneInvocation();
    void serviceUnavailableIsRetriedWithBackoff();
    void bodyErrorsAfterGoodProbeEndInBoundedTime();
    void subscriberOnlyIsTerminal();

private:
    // DOWNLOAD_MAX_ATTEMPTS=3 and backoff base 1 s, as the scenarios have it.
    DownloadSettings settingsFor(const QString &pathTemplate) const;
    MediaServer &server() { return m_scene->server(); }

    std::unique_ptr<DownloadScene> m_scene;
};

void DownloadAttemptsTest::init()
{
    m_scene = std::make_unique<DownloadScene>();
}

DownloadSettings DownloadAttemptsTest::settingsFor(const QString &pathTemplate) const
{
    DownloadSettings settings = m_scene->settings(pathTemplate);
    settings.maxAttempts = 3;
    settings.backoffBase = std::chrono::seconds(1);
    return settings;
}

// Scenario 7: the server drops the body at 3 MiB once; yt-dlp resumes it with a Range request
// and exits 0, so no retry is counted.
void DownloadAttemptsTest::droppedConnectionResumesInsideOneInvocation()
{
    const QByteArray source = MediaServer::content(eightMiB, 7);
    server().addFile(u"/videos/v7.mp4"_s, source, 0, 3145728);
    QVERIFY2(server().start(), qPrintable(server().errorString()));

    DownloadAttempts attempts(settingsFor(u"/videos/{id}.mp4"_s), u"alice"_s, u"v7"_s);
    QSignalSpy failed(&attempts, &DownloadAttempts::attemptFailed);
    runToEnd(attempts, finishTimeoutMs);
    QVERIFY2(attempts.result().outcome == DownloadResult::Outcome::Succeeded,
             qPrintable(attempts.result().failure.detail));
    QCOMPARE(attempts.invocations(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(DownloadScene::fileSha256(attempts.result().path), DownloadScene::sha256(source));
    const QList<MediaRequest> requests = server().requests();
    QCOMPARE(requests.size(), 3); // probe, the dropped body, the resumed rest
    QCOMPARE(requests[1].range, QString());
    QCOMPARE(requests[2].range, u"bytes=3145728-"_s);
}

// Scenario 8: a cancel about 3 s in ends the cycle as Canceled within 2 s; no yt-dlp of its group
// remains and none is started afterwards; the .part stays for the next run.
void DownloadAttemptsTest::cancelStartsNoFurtherInvocation()
{
    server().addFile(u"/videos/v8.mp4"_s, MediaServer::content(eightMiB, 8), 256 * 1024);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadSettings settings = settingsFor(u"/videos/{id}.mp4"_s);
    settings.backoffBase = std::chrono::milliseconds(100);

    DownloadAttempts attempts(settings, u"alice"_s, u"v8"_s);
    QSignalSpy started(&attempts, &DownloadAttempts::attemptStarted);
    QSignalSpy finished(&attempts, &DownloadAttempts::finished);
    attempts.start();
    QTRY_VERIFY_WITH_TIMEOUT(attempts.currentJob() && attempts.currentJob()->progress().bytes() >= 512 * 1024,
                             finishTimeoutMs);
    QCOMPARE(started.first().at(0).toInt(), 1); // the first invocation is number 1
    const qint64 group = started.first().at(1).toLongLong();
    const QString part = attempts.currentJob()->outputPath() + u".part"_s;

    QElapsedTimer clock;
    clock.start();
    attempts.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(attempts.result().outcome == DownloadResult::Outcome::Canceled);
    QCOMPARE(DownloadScene::groupMembers(group), QList<qint64>());
    const qsizetype requests = server().requests().size();
    QTest::qWait(1500); // well past the 100 ms backoff a retry would wait
    QCOMPARE(attempts.invocations(), 1);
    QCOMPARE(started.size(), 1);
    QCOMPARE(server().requests().size(), requests);
    QVERIFY(QFileInfo(part).size() > 0);
}

void DownloadAttemptsTest::cancelDuringBackoffEndsAtOnce()
{
    server().addStatus(u"/videos/vb.mp4"_s, 503);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadSettings settings = settingsFor(u"/videos/{id}.mp4"_s);
    settings.backoffBase = std::chrono::seconds(30);

    DownloadAttempts attempts(settings, u"alice"_s, u"vb"_s);
    QSignalSpy failed(&attempts, &DownloadAttempts::attemptFailed);
    QSignalSpy finished(&attempts, &DownloadAttempts::finished);
    attempts.start();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, finishTimeoutMs);
    QVERIFY(failed.first().at(2).toLongLong() >= 60'000);
    attempts.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 500);
    QVERIFY(attempts.result().outcome == DownloadResult::Outcome::Canceled);
    QCOMPARE(attempts.invocations(), 1);
    QCOMPARE(server().requests().size(), 1);
}

// Scenario 9, v404.
void DownloadAttemptsTest::notFoundIsTerminalAfterOneInvocation()
{
    server().addStatus(u"/videos/v5003404.mp4"_s, 404);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadAttempts attempts(settingsFor(u"/videos/{id}.mp4"_s), u"alice"_s, u"v5003404"_s);
    runToEnd(attempts, finishTimeoutMs);
    const DownloadResult &result = attempts.result();
    QVERIFY(result.outcome == DownloadResult::Outcome::Failed);
    QVERIFY2(result.failure.kind == DownloadFailure::Kind::NotFound, qPrintable(result.failure.detail));
    QVERIFY(result.failure.reason.startsWith(u"not-found: "_s));
    QCOMPARE(attempts.invocations(), 1);
    QCOMPARE(server().requests().size(), 1);
}

// Scenario 9, v503: 503 to every request, probe included: 3 invocations, 2 s and 4 s apart at
// least (base 1 s: 1·2^1 + [0,1), 1·2^2 + [0,1)).
void DownloadAttemptsTest::serviceUnavailableIsRetriedWithBackoff()
{
    server().addStatus(u"/videos/v503.mp4"_s, 503);
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadAttempts attempts(settingsFor(u"/videos/{id}.mp4"_s), u"alice"_s, u"v503"_s);
    QSignalSpy failed(&attempts, &DownloadAttempts::attemptFailed);
    runToEnd(attempts, finishTimeoutMs);
    const DownloadResult &result = attempts.result();
    QVERIFY(result.outcome == DownloadResult::Outcome::Failed);
    QVERIFY(!result.failure.terminal());
    QVERIFY2(result.failure.reason.contains(u"HTTP Error 503"_s), qPrintable(result.failure.reason));
    QCOMPARE(attempts.invocations(), 3);
    QCOMPARE(failed.size(), 2);
    const QList<MediaRequest> requests = server().requests();
    QCOMPARE(requests.size(), 3);
    QVERIFY2(requests[1].time - requests[0].time >= 2.0, qPrintable(QString::number(requests[1].time - requests[0].time)));
    QVERIFY2(requests[2].time - requests[1].time >= 4.0, qPrintable(QString::number(requests[2].time - requests[1].time)));
}

// Scenario 9, vHang: a good probe, then 503 on every body request. yt-dlp's retries are bounded
// (3, sleeping 1, 2, 2 s here), so the cycle fails in bounded time with few requests.
void DownloadAttemptsTest::bodyErrorsAfterGoodProbeEndInBoundedTime()
{
    server().addProbeThen503(u"/videos/vhang.mp4"_s, MediaServer::content(1024 * 1024, 10));
    QVERIFY2(server().start(), qPrintable(server().errorString()));
    DownloadSettings settings = settingsFor(u"/videos/{id}.mp4"_s);
    settings.maxAttempts = 2;
    DownloadAttempts attempts(settings, u"alice"_s, u"vhang"_s);
    runToEnd(attempts, finishTimeoutMs);
    QVERIFY(attempts.result().outcome == DownloadResult::Outcome::Failed);
    QVERIFY(!attempts.result().failure.terminal());
    QCOMPARE(attempts.invocations(), 2);
    const qsizetype requests = server().requests().size();
    QVERIFY2(requests > 2 && requests < 100, qPrintable(QString::number(requests)));
}

// Scenario 9, v77: a yt-dlp shim ahead on PATH prints Twitch's subscriber-only error.
void DownloadAttemptsTest::subscriberOnlyIsTerminal()
{
    QTemporaryDir shimDir;
    const QString calls = shimDir.filePath(u"calls"_s);
    QFile shim(shimDir.filePath(u"yt-dlp"_s));
    QVERIFY(shim.open(QIODevice::WriteOnly));
    shim.write(u"#!/bin/sh\necho \"$@\" >> '%1'\n"
               "echo 'ERROR: [twitch:vod] 77: This video is only available to subscribers' >&2\n"
               "exit 1\n"_s.arg(calls).toUtf8());
    shim.close();
    QVERIFY(shim.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

    DownloadSettings settings = settingsFor(QString());
    settings.urlTemplate = u"https://www.twitch.tv/videos/{id}"_s;
    settings.ytDlpProgram = u"yt-dlp"_s;
    settings.environment.insert(u"PATH"_s, shimDir.path() + u':' + settings.environment.value(u"PATH"_s));
    DownloadAttempts attempts(settings, u"alice"_s, u"77"_s);
    runToEnd(attempts, finishTimeoutMs);
    const DownloadResult &result = attempts.result();
    QVERIFY(result.outcome == DownloadResult::Outcome::Failed);
    QVERIFY(result.failure.kind == DownloadFailure::Kind::AuthRequired);
    QCOMPARE(result.failure.reason, u"auth-required: subscriber-only"_s);
    QVERIFY(result.failure.detail.contains(u"only available to subscribers"_s));
    QCOMPARE(attempts.invocations(), 1);
    QFile log(calls);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray invocations = log.readAll();
    QCOMPARE(invocations.count('\n'), 1);
    QVERIFY(invocations.contains("https://www.twitch.tv/videos/77"));
}

QTEST_GUILESS_MAIN(DownloadAttemptsTest)
#include "downloadattempts.moc"
