#include "ngircdserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString ngircdBinary = u"/usr/sbin/ngircd"_s;

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace

NgircdServer::NgircdServer(const QString &password, const QStringList &channels)
    : m_password(password), m_channels(channels)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyRead,
                     [this] { m_output += m_process.readAll(); });
}

NgircdServer::~NgircdServer()
{
    kill();
}

bool NgircdServer::isInstalled()
{
    return QFileInfo(ngircdBinary).isExecutable();
}

bool NgircdServer::supportsTls()
{
    QProcess version;
    version.start(ngircdBinary, {u"--version"_s});
    return version.waitForFinished(10000) && version.readAllStandardOutput().contains("+SSL");
}

bool NgircdServer::writeConfig()
{
    QString config = u"[Global]\n"
                     "Name = irc.pitwall.test\n"
                     "Info = Pitwall test server\n"
                     "Listen = 127.0.0.1\n"
                     "Ports = %1\n"
                     "Password = %2\n"
                     "MotdPhrase = \"Pitwall test\"\n"
                     "[Limits]\n"
                     "PingTimeout = 120\n"
                     "PongTimeout = 20\n"
                     "MaxNickLength = 25\n"
                     "[Options]\n"
                     "PAM = no\n"
                     "Ident = no\n"
                     "DNS = no\n"_s.arg(m_port)
                             .arg(m_password);
    if (m_tlsPort != 0) {
        config += u"[SSL]\nCertFile = %1\nKeyFile = %2\nPorts = %3\n"_s.arg(m_certificateFile,
                                                                            m_keyFile)
                          .arg(m_tlsPort);
    }
    for (const QString &channel : std::as_const(m_channels))
        config += u"[Channel]\nName = %1\nTopic = test channel\n"_s.arg(channel);
    QFile file(m_dir.filePath(u"ngircd.conf"_s));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write(config.toUtf8()) == config.toUtf8().size();
}

void NgircdServer::setTls(const QString &certificateFile, const QString &keyFile)
{
    m_certificateFile = certificateFile;
    m_keyFile = keyFile;
}

bool NgircdServer::start()
{
    if (isRunning())
        return true;
    if (m_port == 0)
        m_port = freePort();
    if (!m_certificateFile.isEmpty() && m_tlsPort == 0)
        m_tlsPort = freePort();
    if (m_port == 0 || (!m_certificateFile.isEmpty() && m_tlsPort == 0) || !m_dir.isValid()
        || !writeConfig())
        return false;
    m_output.clear();
    m_process.start(ngircdBinary,
                    {u"--nodaemon"_s, u"--config"_s, m_dir.filePath(u"ngircd.conf"_s)});
    if (!m_process.waitForStarted(5000))
        return false;
    // Without a DHFile ngircd first generates DH parameters for TLS, which takes a while.
    const QDeadlineTimer deadline(30000);
    const auto listening = [this](quint16 port) {
        return port == 0
                || m_output.contains("Now listening on [127.0.0.1]:" + QByteArray::number(port));
    };
    while (!deadline.hasExpired() && isRunning()) {
        if (listening(m_port) && listening(m_tlsPort))
            return true;
        QTest::qWait(20);
    }
    qWarning().noquote() << "ngircd did not start listening:" << m_output;
    return false;
}

void NgircdServer::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}
