#include "relay/relaysession.h"

#include "core/log/logcategories.h"
#include "relay/relaymetrics.h"
#include "relay/storageworkers.h"
#include "relay/tokenstore.h"

#include <QRegularExpression>
#include <QUuid>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct AuthOutcome
{
    std::optional<DeviceIdentity> identity;
    TokenError error;
};

// Forwarder ids end up in file names and URLs (research §1.2).
bool isPathSafe(const QString &id)
{
    static const QRegularExpression safe(u"^[A-Za-z0-9._~-]+$"_s);
    return safe.match(id).hasMatch();
}

} // namespace

RelaySession::RelaySession(RelayContext &context, std::unique_ptr<QWebSocket> socket,
                           QByteArray authorization, DeviceType endpointType)
    : m_context(context)
    , m_socket(std::move(socket))
    , m_authorization(std::move(authorization))
    , m_endpointType(endpointType)
    , m_sessionId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_socket->setParent(nullptr);
    // Frames are small and a live event goes out as soon as it is stored. With Nagle's
    // algorithm a frame that follows one the peer has not ACKed yet (a metrics push, say)
    // waits for the peer's delayed ACK: up to 40 ms.
    if (auto *tcp = m_socket->findChild<QAbstractSocket *>())
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &RelaySession::frameReceived);
    connect(m_socket.get(), &QWebSocket::pong, this, [this] { m_sinceHeard.restart(); });
    connect(m_socket.get(), &QWebSocket::disconnected, this, &RelaySession::socketClosed);
    // Check the deadlines often enough that a short test interval is honoured too.
    const auto step = std::min<std::chrono::milliseconds>(
            {m_context.settings.pingInterval, m_context.settings.idleTimeout / 3,
             std::chrono::milliseconds(1000)});
    m_ticker.setInterval(std::max<std::chrono::milliseconds>(step, std::chrono::milliseconds(10)));
    connect(&m_ticker, &QTimer::timeout, this, &RelaySession::tick);
}

RelaySession::~RelaySession()
{
    // Deleted by the engine at shutdown: no signal may reach a half-destroyed session.
    m_socket->disconnect(this);
}

void RelaySession::start(const QStringList &earlyFrames)
{
    m_sinceHeard.start();
    m_sinceStart.start();
    m_ticker.start();
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        socketClosed();
        return;
    }
    authenticate();
    for (const QString &frame : earlyFrames)
        frameReceived(frame);
}

void RelaySession::authenticate()
{
    // The prefix is case-sensitive and an empty remainder counts as missing (research §1.2).
    const QByteArray prefix = "Bearer ";
    const QString token = m_authorization.startsWith(prefix)
            ? QString::fromUtf8(m_authorization.mid(prefix.size())).trimmed()
            : QString();
    if (token.isEmpty()) {
        fail(ErrorCode::InvalidToken, u"missing Authorization header"_s);
        return;
    }
    TokenStore &tokens = m_context.tokens;
    m_context.workers.run<AuthOutcome>(
            qHash(token), this,
            [&tokens, token] {
                AuthOutcome outcome;
                outcome.identity = tokens.authenticate(token, &outcome.error);
                return outcome;
            },
            [this](AuthOutcome outcome) {
                if (m_closing)
                    return;
                if (!outcome.identity) {
                    if (outcome.error.kind == TokenError::Kind::NotFound)
                        fail(ErrorCode::InvalidToken, u"unknown or revoked token"_s);
                    else
                        fail(ErrorCode::InternalError, u"internal server error"_s);
                    return;
                }
                if (outcome.identity->deviceType != m_endpointType) {
                    fail(ErrorCode::InvalidToken,
                         u"token is not for a %1 device"_s.arg(deviceTypeName(m_endpointType)));
                    return;
                }
                if (m_endpointType == DeviceType::Forwarder
                    && !isPathSafe(outcome.identity->deviceId)) {
                    fail(ErrorCode::InvalidToken, u"forwarder id from token is not path-safe"_s);
                    return;
                }
                m_identity = *outcome.identity;
                m_authenticated = true;
                authenticated();
                if (!m_closing)
                    setBusy(false);
            });
}

void RelaySession::frameReceived(const QString &text)
{
    m_sinceHeard.restart();
    if (m_closing)
        return;
    QByteArray frame = text.toUtf8();
    m_queuedBytes += frame.size();
    if (m_queuedBytes > m_context.settings.maxPendingBytes) {
        fail(ErrorCode::ProtocolError,
             u"more than %1 bytes of frames are waiting to be processed; wait for acks"_s.arg(
                     m_context.settings.maxPendingBytes));
        return;
    }
    m_queue.enqueue(std::move(frame));
    processQueue();
}

void RelaySession::processQueue()
{
    while (!m_busy && !m_closing && !m_queue.isEmpty()) {
        const QByteArray frame = m_queue.dequeue();
        m_queuedBytes -= frame.size();
        ParseResult parsed = parseMessage(frame);
        if (auto *message = std::get_if<Message>(&parsed))
            handleMessage(std::move(*message));
        else
            handleInvalidFrame(std::get<ParseError>(parsed));
    }
}

void RelaySession::setBusy(bool busy)
{
    m_busy = busy;
    if (!busy)
        processQueue();
}

void RelaySession::send(const Message &message)
{
    sendText(serialize(message));
}

void RelaySession::sendText(const QByteArray &text)
{
    if (!m_closing)
        m_socket->sendTextMessage(QString::fromUtf8(text));
}

void RelaySession::startHeartbeats()
{
    m_heartbeats = true;
    m_sinceHeartbeat.start();
    send(Heartbeat{m_sessionId, m_identity.deviceId});
}

void RelaySession::tick()
{
    if (m_closing)
        return;
    const RelaySettings &settings = m_context.settings;
    if (!m_heartbeats && std::chrono::milliseconds(m_sinceStart.elapsed()) > settings.helloTimeout) {
        fail(ErrorCode::ProtocolError, u"timeout waiting for %1"_s.arg(
                m_endpointType == DeviceType::Forwarder ? u"forwarder_hello"_s
                                                        : u"receiver_hello_v12"_s));
        return;
    }
    if (std::chrono::milliseconds(m_sinceHeard.elapsed()) > settings.idleTimeout) {
        qCInfo(lcRelay).noquote() << u"%1 session %2 (%3) silent for %4 ms, closing"_s.arg(
                deviceTypeName(m_endpointType), m_sessionId, m_identity.deviceId)
                                             .arg(m_sinceHeard.elapsed());
        close();
        return;
    }
    if (m_heartbeats && std::chrono::milliseconds(m_sinceHeartbeat.elapsed()) >= settings.pingInterval) {
        m_sinceHeartbeat.restart();
        m_socket->ping();
        send(Heartbeat{m_sessionId, m_identity.deviceId});
    }
}

void RelaySession::fail(ErrorCode code, const QString &message)
{
    if (m_closing)
        return;
    qCWarning(lcRelay).noquote() << u"%1 session %2 (%3): %4 %5"_s.arg(
            deviceTypeName(m_endpointType), m_sessionId,
            m_identity.deviceId.isEmpty() ? u"unauthenticated"_s : m_identity.deviceId,
            errorCodeName(code), message);
    m_context.metrics.sessionErrors.inc();
    send(ErrorMessage{code, message, isRetryable(code)});
    close();
}

void RelaySession::close()
{
    if (m_closing)
        return;
    m_closing = true;
    m_ticker.stop();
    m_socket->flush();
    m_socket->close();
    // A socket that was never connected emits no disconnected(); finish either way.
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        socketClosed();
}

void RelaySession::socketClosed()
{
    m_closing = true;
    m_ticker.stop();
    if (m_finished)
        return;
    m_finished = true;
    closed();
    emit finished(this);
    deleteLater();
}

} // namespace Pitwall
