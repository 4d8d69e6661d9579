#include "vod/downloadjob.h"

#include "vod/downloaderrorclassifier.h"
#include "vod/ytdlpcommand.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#include <variant>

using namespace Qt::StringLiterals;

namespace Pitwall {

DownloadJob::DownloadJob(DownloadSettings settings, QString channel, QString vodId, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_channel(std::move(channel))
    , m_vodId(std::move(vodId))
{
    m_stallTimer.setSingleShot(true);
    m_killTimer.setSingleShot(true);
    m_persistTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        m_stalled = true;
        terminate();
    });
    connect(&m_killTimer, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
    connect(&m_persistTimer, &QTimer::timeout, this, &DownloadJob::persistNow);
}

DownloadJob::~DownloadJob()
{
    if (m_process) {
        m_process->disconnect(this);
        signalGroup(SIGKILL);
        m_process->waitForFinished(5000);
    }
}

bool DownloadJob::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString DownloadJob::outputPath() const
{
    return YtDlpCommand::outputPath(m_settings.dataDir, m_channel, m_vodId);
}

void DownloadJob::start()
{
    if (m_startCalled)
        return;
    m_startCalled = true;
    if (m_canceled) {
        finishLater({DownloadResult::Outcome::Canceled, {}, 0, {}});
        return;
    }
    const auto built = YtDlpCommand::build(m_settings, m_channel, m_vodId);
    if (const auto *failure = std::get_if<DownloadFailure>(&built)) {
        finishLater({DownloadResult::Outcome::Failed, {}, 0, *failure});
        return;
    }
    const YtDlpCommand &command = std::get<YtDlpCommand>(built);
    m_outputPath = command.outputPath();
    const QString directory = QFileInfo(m_outputPath).absolutePath();
    if (!QDir().mkpath(directory)) {
        finishLater(failed(u"cannot create %1"_s.arg(directory)));
        return;
    }

    m_process = new QProcess(this);
    m_process->setProgram(command.program());
    m_process->setArguments(command.arguments());
    m_process->setProcessEnvironment(m_settings.environment);
    // Its own session and process group: cancel and the watchdog kill yt-dlp with everything it
    // started, and a terminal's Ctrl-C aimed at Pitwall does not reach it. It must not outlive a
    // killed Pitwall either: the restarted engine would start a second writer on the same .part.
    const pid_t parent = ::getpid();
    m_process->setChildProcessModifier([parent] {
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127); // Pitwall died before the line above
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &DownloadJob::readStdout);
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { m_stderr.append(m_process->readAllStandardError()); });
    connect(m_process, &QProcess::started, this, [this] { emit started(m_pid); });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        processFinished(exitCode, status == QProcess::CrashExit);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // the others are followed by finished()
        const QString reason = u"yt-dlp failed to start: "_s + m_process->errorString();
        m_process->deleteLater();
        m_process = nullptr;
        m_pid = 0;
        m_stallTimer.stop();
        finishLater(failed(reason));
    });
    m_process->start();
    if (!m_process)
        return; // FailedToStart was reported from within start()
    // Known from the fork on, so a cancel before QProcess::started() can already kill.
    m_pid = m_process->processId();
    m_stallTimer.start(m_settings.stallTimeout);
}

void DownloadJob::cancel()
{
    if (m_finished || m_canceled)
        return;
    m_canceled = true;
    if (!m_startCalled)
        return; // start() will finish as Canceled without starting anything
    if (m_process)
        terminate();
}

void DownloadJob::terminate()
{
    m_stallTimer.stop();
    signalGroup(SIGTERM);
    if (!m_killTimer.isActive())
        m_killTimer.start(m_settings.killGrace);
}

void DownloadJob::signalGroup(int signal) const
{
    if (m_pid <= 0)
        return;
    ::kill(pid_t(-m_pid), signal);
    // Also the leader itself, in case it has not reached setsid() yet.
    ::kill(pid_t(m_pid), signal);
}

void DownloadJob::readStdout()
{
    for (const QString &line : m_stdout.append(m_process->readAllStandardOutput()))
        progressLine(line);
}

void DownloadJob::progressLine(const QString &line)
{
    const std::optional<ProgressLine> parsed = parseProgressLine(line.toUtf8());
    if (!parsed) {
        emit outputLine(line);
        return;
    }
    const qint64 bytesBefore = m_progress.bytes();
    if (!m_progress.apply(*parsed))
        return;
    if (m_progress.bytes() > bytesBefore && !m_canceled && !m_stalled)
        m_stallTimer.start(m_settings.stallTimeout);
    emit progressChanged(m_progress);
    const auto interval = m_settings.persistInterval;
    if (!m_sincePersist.isValid() || m_sincePersist.elapsed() >= interval.count())
        persistNow();
    else if (!m_persistTimer.isActive())
        m_persistTimer.start(interval - std::chrono::milliseconds(m_sincePersist.elapsed()));
}

void DownloadJob::persistNow()
{
    m_persistTimer.stop();
    m_sincePersist.start();
    emit progressPersist(m_progress);
}

void DownloadJob::processFinished(int exitCode, bool crashed)
{
    readStdout();
    for (const QString &line : m_stdout.flush())
        progressLine(line);
    m_stderr.append(m_process->readAllStandardError());
    m_stderr.flush();
    // Whatever yt-dlp left behind in its group (aria2c) goes with it.
    signalGroup(SIGKILL);
    m_killTimer.stop();
    m_stallTimer.stop();
    m_process->deleteLater();
    m_process = nullptr;
    m_pid = 0;
    finish(exitResult(exitCode, crashed));
}

DownloadResult DownloadJob::exitResult(int exitCode, bool crashed)
{
    DownloadResult result;
    if (m_canceled) {
        result.outcome = DownloadResult::Outcome::Canceled;
        return result;
    }
    DownloadFailure &failure = result.failure;
    if (m_stalled) {
        failure.reason =
            u"stalled: no progress for %1 s"_s.arg(double(m_settings.stallTimeout.count()) / 1000.0);
        failure.detail = DownloadErrorClassifier::detail(u"yt-dlp killed by the stall watchdog"_s,
                                                         m_stderr.lines());
    } else if (crashed) {
        failure.reason = u"yt-dlp was killed by a signal"_s;
        failure.detail = DownloadErrorClassifier::detail(failure.reason, m_stderr.lines());
    } else if (exitCode != 0) {
        failure = DownloadErrorClassifier::classify(m_stderr.lines(), exitCode);
    } else if (const QFileInfo file(m_outputPath); !file.isFile()) {
        failure.reason = u"yt-dlp exited with code 0 but %1 does not exist"_s.arg(m_outputPath);
        failure.detail = DownloadErrorClassifier::detail(failure.reason, m_stderr.lines());
    } else {
        result.outcome = DownloadResult::Outcome::Succeeded;
        result.path = m_outputPath;
        result.size = file.size();
    }
    return result;
}

DownloadResult DownloadJob::failed(const QString &reason)
{
    DownloadResult result;
    result.failure.reason = reason;
    return result;
}

void DownloadJob::finishLater(DownloadResult result)
{
    // From the event loop, so start() never emits finished() before it returns.
    QMetaObject::invokeMethod(
        this, [this, result = std::move(result)] { finish(result); }, Qt::QueuedConnection);
}

void DownloadJob::finish(DownloadResult result)
{
    if (m_finished)
        return;
    m_persistTimer.stop();
    m_finished = true;
    m_result = std::move(result);
    emit finished(m_result);
}

} // namespace Pitwall
