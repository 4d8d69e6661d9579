#pragma once

#include "vod/downloadprogress.h"
#include "vod/downloadresult.h"
#include "vod/downloadsettings.h"
#include "vod/outputtail.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

class QProcess;

namespace Pitwall {

// One yt-dlp invocation for one VOD, asynchronous on the caller's thread. yt-dlp runs in its own
// session, so its process group (aria2c included) is what a stall or a cancel kills. stdout is
// progress (and a few info lines), stderr is kept as the error tail. The .part file stays on
// cancel and on failure, so the next invocation resumes it (--continue).
class DownloadJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DownloadJob)

public:
    DownloadJob(DownloadSettings settings, QString channel, QString vodId, QObject *parent = nullptr);
    // A job destroyed while running kills its process group.
    ~DownloadJob() override;

    // Once; finished() follows exactly once, also when nothing could be started.
    void start();
    // SIGTERM to the process group, SIGKILL after killGrace; finished() reports Canceled. Before
    // start() or during it, nothing is started. After finished() it does nothing.
    void cancel();

    bool isRunning() const;
    bool isFinished() const { return m_finished; }
    // yt-dlp's pid, which is also its process group id; 0 when no process runs.
    qint64 processId() const { return m_pid; }
    QString outputPath() const;
    const DownloadProgress &progress() const { return m_progress; }
    const DownloadResult &result() const { return m_result; }

signals:
    void started(qint64 processId);
    // Every change the operator would see.
    void progressChanged(const Pitwall::DownloadProgress &progress);
    // The latest progress at most once per persistInterval, for the database; finished() and
    // progress() have the final state.
    void progressPersist(const Pitwall::DownloadProgress &progress);
    // A stdout line that is not progress, e.g. "[download] Resuming download at byte 2096128".
    void outputLine(const QString &line);
    void finished(const Pitwall::DownloadResult &result);

private:
    void readStdout();
    void processFinished(int exitCode, bool crashed);
    void progressLine(const QString &line);
    void persistNow();
    void signalGroup(int signal) const;
    void terminate();
    static DownloadResult failed(const QString &reason);
    void finishLater(DownloadResult result);
    void finish(DownloadResult result);
    DownloadResult exitResult(int exitCode, bool crashed);

    DownloadSettings m_settings;
    QString m_channel;
    QString m_vodId;
    QString m_outputPath;
    QProcess *m_process = nullptr;
    qint64 m_pid = 0;
    bool m_startCalled = false;
    bool m_canceled = false;
    bool m_stalled = false;
    bool m_finished = false;
    OutputTail m_stdout{20};
    OutputTail m_stderr{100};
    DownloadProgress m_progress;
    DownloadResult m_result;
    QTimer m_stallTimer;
    QTimer m_killTimer;
    QTimer m_persistTimer;
    QElapsedTimer m_sincePersist;
};

} // namespace Pitwall
