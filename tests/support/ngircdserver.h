#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A real ngircd (Debian's /usr/sbin/ngircd) for one test: a generated configuration in a
// temporary directory, 127.0.0.1 on a free port, the given channels pre-created, run in the
// foreground (--nodaemon) as the test's child. ngircd compares PASS with [Global] Password
// exactly (an empty one refuses every client that sends PASS), so it is the token the clients
// log in with. kill() and start() again keep the port, to test reconnects.
class NgircdServer final
{
public:
    explicit NgircdServer(const QString &password, const QStringList &channels = {});
    ~NgircdServer();
    Q_DISABLE_COPY_MOVE(NgircdServer)

    // Starts ngircd (on the same port as before, if it ran already) and waits until it listens.
    bool start();
    // SIGKILL: every client connection breaks without a goodbye.
    void kill();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    // What ngircd printed, for failure messages.
    QByteArray output() const { return m_output; }

    static bool isInstalled();

private:
    bool writeConfig();

    QTemporaryDir m_dir;
    QString m_password;
    QStringList m_channels;
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};
