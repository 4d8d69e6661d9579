#include "vod/ircconnection.h"

#include "daemonprocess.h"
#include "ngircdserver.h"
#include "toolrun.h"

#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString token = u"tls-token"_s;

// `openssl req` arguments for a fresh EC key and a two-day certificate of `subject`.
QStringList certificateRequest(const QString &key, const QString &certificate,
                               const QString &subject)
{
    return {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
            u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s, key, u"-out"_s,
            certificate, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN="_s + subject};
}

} // namespace

// IRC over TLS (TWITCH_IRC_TLS=1, Twitch's port 6697) against a real ngircd serving throwaway
// certificates made with the openssl command: the client verifies the server's chain and name.
// The product reads no CA file for IRC (Qt takes the system's CA directories, and neither
// SSL_CERT_FILE nor SSL_CERT_DIR), so the trusted case runs the engine's IrcConnection in this
// process with the throwaway CA added to Qt's default configuration; the refusals also run
// through the real daemon.
class VodChatTlsTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void verifiedServerIsJoined();
    void unverifiedServerIsRefused_data();
    void unverifiedServerIsRefused();
    void daemonRefusesAnUntrustedServer();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // A certificate for `subjectAltName` signed by the throwaway CA (or self-signed).
    bool makeCertificate(const QString &name, const QString &subjectAltName, bool signedByCa);
    std::unique_ptr<NgircdServer> startServer(const QString &certificate);
    static IrcConnection::Options options(quint16 port);
    // Qt's default configuration, which every new QSslSocket copies, with or without the CA.
    void trustThrowawayCa(bool trusted);

    QTemporaryDir m_dir;
    QSslConfiguration m_systemDefault;
    QSslCertificate m_ca;
};

bool VodChatTlsTest::makeCertificate(const QString &name, const QString &subjectAltName,
                                     bool signedByCa)
{
    QStringList arguments = certificateRequest(path(name + u".key"_s), path(name + u".pem"_s),
                                               name);
    if (signedByCa)
        arguments << u"-CA"_s << path(u"ca.pem"_s) << u"-CAkey"_s << path(u"ca.key"_s);
    arguments << u"-addext"_s << u"subjectAltName="_s + subjectAltName << u"-addext"_s
              << u"basicConstraints=CA:FALSE"_s << u"-addext"_s
              << u"extendedKeyUsage=serverAuth"_s;
    const ToolRun run = ToolRun::run(u"openssl"_s, arguments, std::chrono::seconds(30));
    if (!run.ok())
        qWarning().noquote() << run.describe(u"openssl req "_s + name);
    return run.ok();
}

void VodChatTlsTest::initTestCase()
{
    if (!NgircdServer::isInstalled())
        QSKIP("ngircd is not installed");
    if (!NgircdServer::supportsTls())
        QSKIP("this ngircd was built without TLS");
    QVERIFY(m_dir.isValid());
    QStringList ca = certificateRequest(path(u"ca.key"_s), path(u"ca.pem"_s),
                                        u"Pitwall throwaway CA"_s);
    ca << u"-addext"_s << u"basicConstraints=critical,CA:TRUE"_s << u"-addext"_s
       << u"keyUsage=critical,keyCertSign,cRLSign"_s;
    const ToolRun run = ToolRun::run(u"openssl"_s, ca, std::chrono::seconds(30));
    QVERIFY2(run.ok(), run.describe(u"openssl req (CA)"_s).constData());
    QVERIFY(makeCertificate(u"server"_s, u"IP:127.0.0.1"_s, true));
    QVERIFY(makeCertificate(u"selfsigned"_s, u"IP:127.0.0.1"_s, false));
    QVERIFY(makeCertificate(u"otherhost"_s, u"DNS:irc.example.org"_s, true));
    const QList<QSslCertificate> cas = QSslCertificate::fromPath(path(u"ca.pem"_s));
    QCOMPARE(cas.size(), 1);
    m_ca = cas.first();
    m_systemDefault = QSslConfiguration::defaultConfiguration();
}

void VodChatTlsTest::init()
{
    trustThrowawayCa(true);
}

void VodChatTlsTest::cleanup()
{
    QSslConfiguration::setDefaultConfiguration(m_systemDefault);
}

void VodChatTlsTest::trustThrowawayCa(bool trusted)
{
    QSslConfiguration configuration = m_systemDefault;
    if (trusted)
        configuration.addCaCertificate(m_ca);
    QSslConfiguration::setDefaultConfiguration(configuration);
}

std::unique_ptr<NgircdServer> VodChatTlsTest::startServer(const QString &certificate)
{
    auto server = std::make_unique<NgircdServer>(u"oauth:"_s + token, QStringList{u"#alice"_s});
    server->setTls(path(certificate + u".pem"_s), path(certificate + u".key"_s));
    if (!server->start())
        return nullptr;
    return server;
}

IrcConnection::Options VodChatTlsTest::options(quint16 port)
{
    IrcConnection::Options options;
    options.host = u"127.0.0.1"_s;
    options.port = port;
    options.tls = true;
    options.username = u"pitwallbot"_s;
    options.token = token;
    options.channel = u"alice"_s;
    options.reconnectInitialDelay = std::chrono::milliseconds(200);
    options.reconnectMaxDelay = std::chrono::seconds(1);
    return options;
}

// The chain up to the trusted CA and the name 127.0.0.1 check out: login, JOIN and the server's
// lines all go over TLS.
void VodChatTlsTest::verifiedServerIsJoined()
{
    const std::unique_ptr<NgircdServer> ngircd = startServer(u"server"_s);
    QVERIFY(ngircd);
    IrcConnection connection(options(ngircd->tlsPort()));
    QSignalSpy joined(&connection, &IrcConnection::joined);
    QSignalSpy messages(&connection, &IrcConnection::messageReceived);
    QSignalSpy dropped(&connection, &IrcConnection::disconnected);
    connection.open();
    QVERIFY2(joined.wait(15000), ngircd->output().constData());
    QVERIFY(dropped.isEmpty());
    const bool motd = std::any_of(messages.cbegin(), messages.cend(), [](const QVariantList &args) {
        const auto message = args.first().value<IrcMessage>();
        return message.command == u"372"_s && message.trailing().contains(u"Pitwall test"_s);
    });
    QVERIFY(motd);
    QVERIFY2(ngircd->output().contains("initialized TLS"), ngircd->output().constData());
    QVERIFY(ngircd->output().contains("User \"pitwallbot!"));
    connection.close();
}

void VodChatTlsTest::unverifiedServerIsRefused_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<bool>("caTrusted");
    QTest::addColumn<QString>("reason");
    QTest::newRow("CA not trusted") << u"server"_s << false
                                    << u"The issuer certificate of a locally looked up certificate "
                                       "could not be found"_s;
    QTest::newRow("self-signed") << u"selfsigned"_s << true
                                 << u"The certificate is self-signed, and untrusted"_s;
    QTest::newRow("other host name") << u"otherhost"_s << true
                                     << u"The host name did not match any of the valid hosts for "
                                        "this certificate"_s;
}

// Refused before anything is sent: no login (so the token never reaches that server), a reason
// naming the certificate's problem, and the usual reconnect attempts, each refused again.
void VodChatTlsTest::unverifiedServerIsRefused()
{
    QFETCH(QString, certificate);
    QFETCH(bool, caTrusted);
    QFETCH(QString, reason);
    trustThrowawayCa(caTrusted);
    const std::unique_ptr<NgircdServer> ngircd = startServer(certificate);
    QVERIFY(ngircd);
    IrcConnection connection(options(ngircd->tlsPort()));
    QSignalSpy connected(&connection, &IrcConnection::connected);
    QSignalSpy dropped(&connection, &IrcConnection::disconnected);
    connection.open();
    QTRY_VERIFY_WITH_TIMEOUT(dropped.size() >= 2, 15000);
    for (const QVariantList &args : std::as_const(dropped))
        QCOMPARE(args.first().toString(), reason);
    QVERIFY(connected.isEmpty());
    QVERIFY(!connection.isJoined());
    connection.close();
    QVERIFY2(!ngircd->output().contains("User \"pitwallbot!"), ngircd->output().constData());
}

// The real daemon with TWITCH_IRC_TLS=1 against a server whose certificate no system CA vouches
// for: the log says why, and the server never sees a login.
void VodChatTlsTest::daemonRefusesAnUntrustedServer()
{
    const std::unique_ptr<NgircdServer> ngircd = startServer(u"selfsigned"_s);
    QVERIFY(ngircd);
    DaemonProcess daemon;
    daemon.setEnv(u"TWITCH_CHANNEL"_s, u"alice"_s);
    daemon.setEnv(u"TWITCH_BOT_USERNAME"_s, u"pitwallbot"_s);
    daemon.setEnv(u"TWITCH_OAUTH_TOKEN"_s, token);
    daemon.setEnv(u"TWITCH_IRC_ADDR"_s, u"127.0.0.1:%1"_s.arg(ngircd->tlsPort()));
    daemon.setEnv(u"TWITCH_IRC_TLS"_s, u"1"_s);
    daemon.setEnv(u"TWITCH_VOD_ID"_s, u"v1"_s);
    QVERIFY2(daemon.start(), daemon.output().constData());
    QVERIFY2(daemon.waitForOutput("IRC connection to 127.0.0.1 lost: The certificate is "
                                  "self-signed, and untrusted"),
             daemon.output().constData());
    QCOMPARE(daemon.stop(SIGTERM), 0);
    QVERIFY2(!ngircd->output().contains("User \"pitwallbot!"), ngircd->output().constData());
    QVERIFY(!daemon.output().contains(token.toUtf8()));
}

QTEST_GUILESS_MAIN(VodChatTlsTest)
#include "vodchattls.moc"
