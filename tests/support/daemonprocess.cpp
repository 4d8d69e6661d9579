#include "daemonprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

#include <csignal>

using namespace Qt::StringLiterals;

DaemonProcess::DaemonProcess()
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}) {
        const QString key = QString::fromLatin1(name);
        if (system.contains(key))
            m_env.insert(key, system.value(key));
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

DaemonProcess::~DaemonProcess()
{
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void DaemonProcess::setDesktop(bool desktop)
{
    m_desktop = desktop;
    if (desktop)
        m_env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    else
        m_env.remove(u"QT_QPA_PLATFORM"_s);
}

bool DaemonProcess::start(const QStringList &extraArgs, std::chrono::milliseconds timeout)
{
    QStringList args{u"--bind"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, m_dataDir.path()};
    if (!m_desktop)
        args.prepend(u"--daemon"_s);
    launch(args + extraArgs);
    if (!m_process.waitForStarted(5000))
        return false;
    static const QRegularExpression listening(u"listening on [0-9.]+:(\\d+)"_s);
    QDeadlineTimer deadline(timeout);
    while (!deadline.hasExpired() && isRunning()) {
        const auto match = listening.match(QString::fromUtf8(output()));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
        m_process.waitForReadyRead(100);
    }
    return false;
}

int DaemonProcess::runToExit(const QStringList &args, std::chrono::milliseconds timeout)
{
    launch(args);
    if (!m_process.waitForFinished(int(timeout.count())) || m_process.exitStatus() != QProcess::NormalExit)
        return -1;
    output();
    return m_process.exitCode();
}

void DaemonProcess::launch(const QStringList &args)
{
    m_process.setProcessEnvironment(m_env);
    QStringList command = m_launcher + QStringList{QStringLiteral(PITWALL_BINARY)} + args;
    const QString program = command.takeFirst();
    m_process.start(program, command);
}

QString DaemonProcess::url(const QString &path) const
{
    return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path);
}

void DaemonProcess::sendSignal(int signalNumber)
{
    ::kill(pid_t(m_process.processId()), signalNumber);
}

int DaemonProcess::stop(int signalNumber, std::chrono::milliseconds timeout)
{
    sendSignal(signalNumber);
    if (!m_process.waitForFinished(int(timeout.count()))
        || m_process.exitStatus() != QProcess::NormalExit)
        return -1;
    output();
    return m_process.exitCode();
}

QByteArray DaemonProcess::output()
{
    m_output += m_process.readAll();
    return m_output;
}

bool DaemonProcess::waitForOutput(const QByteArray &needle, std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    while (!output().contains(needle)) {
        if (deadline.hasExpired() || !isRunning())
            return output().contains(needle);
        m_process.waitForReadyRead(100);
    }
    return true;
}
