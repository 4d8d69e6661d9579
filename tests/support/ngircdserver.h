#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A real ngircd (Debian's /usr/sbin/ngircd) for one test: a generated configuration in a
// temporary directory, 127.0.0.1 on a free port, the given channels pre-created, run in the
// foreground (--nodaemon) as the test's child. ngircd compares PASS with [Global] Password
// exactly (an empty one refuses every client that sends PASS), so it is the token the clients
// log in with. kill() and start() again keep the port, to test reconnects. With setTls() it
// also listens for TLS (Debian's ngircd is built with GnuTLS) on a port of its own.
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
    // Takes effect at the next start(): a TLS port serving this certificate chain (PEM) and key.
    void setTls(const QString &certificateFile, const QString &keyFile);
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    // What ngircd printed, for failure messages.
    QByteArray output() const { return m_output; }

    static bool isInstalled();
    // Whether this ngircd was built with TLS ("+SSL" in its --version features).
    static bool supportsTls();

private:
    bool writeConfig();

    QTemporaryDir m_dir;
    QString m_password;
    QStringList m_channels;
    QProcess m_process;
    QByteArray m_output;
    QString m_certificateFile;
    QString m_keyFile;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
};
