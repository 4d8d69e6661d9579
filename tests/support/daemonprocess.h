#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>

#include <chrono>

// A real `pitwall --daemon` child process, started the way an operator or systemd starts it:
// a clean environment with no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM, its own data dir,
// and port 0 so the kernel picks a free port that the daemon then logs.
class DaemonProcess final
{
public:
    DaemonProcess();
    ~DaemonProcess();
    Q_DISABLE_COPY_MOVE(DaemonProcess)

    // Runs the desktop console instead of --daemon, on the offscreen platform.
    void setDesktop(bool desktop);

    // Variables set on top of the clean environment (PATH, HOME, LANG and the data dir).
    void setEnv(const QString &name, const QString &value) { m_env.insert(name, value); }
    QString dataDir() const { return m_dataDir.path(); }
    // Runs the binary through `launcher` (for example `unshare --net`), which must exec it, so
    // that signals and the exit code still reach and come from pitwall itself.
    void setLauncher(const QStringList &launcher) { m_launcher = launcher; }

    // Starts with `[--daemon] --bind 127.0.0.1:0 --data-dir <tmp>` plus `extraArgs`, and waits for
    // the "listening on" line. False (with the output so far in `output()`) if it never comes.
    bool start(const QStringList &extraArgs = {},
               std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Starts and waits for the process to exit by itself (configuration errors).
    int runToExit(const QStringList &args, std::chrono::milliseconds timeout = std::chrono::seconds(20));

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString url(const QString &path) const;

    void sendSignal(int signalNumber);
    // Sends a signal and waits for the exit; returns the exit code, or -1 on a crash or timeout.
    int stop(int signalNumber, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    // Everything the daemon wrote to stderr (its log) so far.
    QByteArray output();
    bool waitForOutput(const QByteArray &needle,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

private:
    void launch(const QStringList &args);

    QTemporaryDir m_dataDir;
    QProcessEnvironment m_env;
    QStringList m_launcher;
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
    bool m_desktop = false;
};
