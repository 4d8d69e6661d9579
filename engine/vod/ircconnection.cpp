#include "vod/ircconnection.h"

#include "core/log/logcategories.h"
#include "vod/chatsettings.h"

#include <QRandomGenerator>
#include <QSslSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Bytes without a line end past which the server is talking nonsense (IRCv3 caps tags at 8 KiB
// and the rest of a line at 512 bytes).
constexpr qsizetype maxLineBytes = 64 * 1024;

// Twitch's NOTICEs for a refused PASS; the connection is closed right after.
bool isLoginFailure(const IrcMessage &message)
{
    if (message.command != u"NOTICE"_s)
        return false;
    const QString text = message.trailing();
    return text.contains(u"Login authentication failed"_s, Qt::CaseInsensitive)
            || text.contains(u"Improperly formatted auth"_s, Qt::CaseInsensitive)
            || text.contains(u"Login unsuccessful"_s, Qt::CaseInsensitive);
}

} // namespace

IrcConnection::IrcConnection(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    for (QTimer *timer : {&m_pingTimer, &m_pongTimer, &m_loginTimer, &m_reconnectTimer})
        timer->setSingleShot(true);
    m_pingTimer.setInterval(m_options.pingInterval);
    m_pongTimer.setInterval(m_options.pongTimeout);
    m_loginTimer.setInterval(m_options.loginTimeout);
    connect(&m_pingTimer, &QTimer::timeout, this, &IrcConnection::ping);
    connect(&m_pongTimer, &QTimer::timeout, this, [this] {
        drop(u"no PONG within %1 ms"_s.arg(m_options.pongTimeout.count()));
    });
    connect(&m_loginTimer, &QTimer::timeout, this, [this] {
        drop(u"not logged in within %1 ms"_s.arg(m_options.loginTimeout.count()));
    });
    connect(&m_reconnectTimer, &QTimer::timeout, this, &IrcConnection::connectNow);
}

IrcConnection::~IrcConnection()
{
    // Nobody listens to an object being destroyed.
    blockSignals(true);
    close();
}

IrcConnection::Options IrcConnection::optionsFor(const ChatSettings &settings,
                                                 const QString &channel)
{
    Options options;
    options.host = settings.ircHost;
    options.port = settings.ircPort;
    options.tls = settings.ircTls;
    options.username = settings.botUsername;
    options.token = settings.oauthToken;
    options.channel = channel;
    options.pingInterval = settings.pingInterval;
    options.pongTimeout = settings.pongTimeout;
    options.reconnectInitialDelay = settings.reconnectInitialDelay;
    options.reconnectMaxDelay = settings.reconnectMaxDelay;
    return options;
}

QByteArray IrcConnection::passCommand(const QString &token)
{
    const QString value = token.startsWith(u"oauth:"_s) ? token : u"oauth:"_s + token;
    return "PASS " + value.toUtf8();
}

void IrcConnection::open()
{
    if (m_wanted)
        return;
    m_wanted = true;
    m_failedAttempts = 0;
    connectNow();
}

void IrcConnection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_socket->write("QUIT\r\n");
        m_socket->flush();
    }
    drop(u"closed"_s);
}

void IrcConnection::connectNow()
{
    if (!m_wanted || m_socket)
        return;
    QTcpSocket *socket = m_options.tls ? new QSslSocket(this) : new QTcpSocket(this);
    m_socket = socket;
    m_buffer.clear();
    connect(socket, &QTcpSocket::readyRead, this, &IrcConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this,
            [this] { drop(u"connection closed by the server"_s); });
    connect(socket, &QTcpSocket::errorOccurred, this,
            [this, socket] { drop(socket->errorString()); });
    m_loginTimer.start();
    qCDebug(lcChat).noquote() << "connecting to" << m_options.host << m_options.port
                              << (m_options.tls ? "(TLS)" : "(plain)");
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        connect(ssl, &QSslSocket::encrypted, this, &IrcConnection::onConnected);
        ssl->connectToHostEncrypted(m_options.host, m_options.port);
    } else {
        connect(socket, &QTcpSocket::connected, this, &IrcConnection::onConnected);
        socket->connectToHost(m_options.host, m_options.port);
    }
}

void IrcConnection::onConnected()
{
    sendLine(passCommand(m_options.token));
    const QByteArray nick = m_options.username.toLower().toUtf8();
    sendLine("NICK " + nick);
    // Twitch ignores USER; RFC servers (ngircd in the tests) need it to register.
    sendLine("USER " + nick + " 0 * :" + nick);
    m_pingTimer.start();
}

void IrcConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_buffer += m_socket->readAll();
    // Whatever arrives proves the connection alive.
    m_pongTimer.stop();
    m_pingTimer.start();
    qsizetype start = 0;
    for (qsizetype end; m_socket && (end = m_buffer.indexOf('\n', start)) >= 0; start = end + 1) {
        if (const std::optional<IrcMessage> message =
                    IrcMessage::parse(QByteArrayView(m_buffer).sliced(start, end - start))) {
            handle(*message);
        }
    }
    if (!m_socket)
        return;
    m_buffer.remove(0, start);
    if (m_buffer.size() > maxLineBytes)
        drop(u"line longer than %1 bytes"_s.arg(maxLineBytes));
}

void IrcConnection::handle(const IrcMessage &message)
{
    const QString &command = message.command;
    if (command == u"PING"_s) {
        sendLine("PONG :" + message.trailing().toUtf8());
    } else if (command == u"001"_s) {
        m_registered = true;
        m_loginTimer.stop();
        m_failedAttempts = 0;
        if (m_everRegistered)
            emit reconnected(++m_reconnections);
        m_everRegistered = true;
        emit connected();
        sendLine("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership");
        sendLine("JOIN #" + m_options.channel.toLower().toUtf8());
    } else if (command == u"CAP"_s && message.params.value(1) == u"NAK"_s) {
        // Only Twitch has these capabilities; without them messages just carry no tags.
        qCInfo(lcChat).noquote() << "server refused the Twitch capabilities:"
                                 << message.trailing();
    } else if (command == u"JOIN"_s
               && message.nick().compare(m_options.username, Qt::CaseInsensitive) == 0) {
        m_joined = true;
        qCInfo(lcChat).noquote() << "joined" << message.params.value(0);
        emit joined(m_options.channel);
    } else if (!m_registered && isLoginFailure(message)) {
        qCWarning(lcChat).noquote() << "login as" << m_options.username
                                    << "refused:" << message.trailing();
        emit loginFailed(message.trailing());
        drop(u"login refused"_s);
        return;
    } else if (command == u"RECONNECT"_s) {
        drop(u"server asked to reconnect"_s);
        return;
    }
    emit messageReceived(message);
}

void IrcConnection::sendLine(const QByteArray &line)
{
    if (m_socket)
        m_socket->write(line + "\r\n");
}

void IrcConnection::ping()
{
    sendLine("PING :pitwall");
    m_pongTimer.start();
}

void IrcConnection::drop(const QString &reason)
{
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    for (QTimer *timer : {&m_pingTimer, &m_pongTimer, &m_loginTimer})
        timer->stop();
    const bool wasJoined = m_joined;
    m_registered = false;
    m_joined = false;
    if (m_wanted) {
        const std::chrono::milliseconds delay = nextDelay();
        qCWarning(lcChat).noquote() << "IRC connection to" << m_options.host << "lost:" << reason
                                    << u"- reconnecting in %1 ms"_s.arg(delay.count());
        m_reconnectTimer.start(delay);
    } else if (wasJoined) {
        qCInfo(lcChat).noquote() << "left" << (u"#"_s + m_options.channel);
    }
    emit disconnected(reason);
}

std::chrono::milliseconds IrcConnection::nextDelay()
{
    const int doublings = std::min(m_failedAttempts++, 20);
    const std::chrono::milliseconds base = std::min<std::chrono::milliseconds>(
            m_options.reconnectInitialDelay * (qint64(1) << doublings),
            m_options.reconnectMaxDelay);
    // Up to a fifth more, so that many recorders cut off together do not return together.
    const auto jitter = std::chrono::milliseconds(
            QRandomGenerator::global()->bounded(qint64(base.count() / 5 + 1)));
    return base + jitter;
}

} // namespace Pitwall
