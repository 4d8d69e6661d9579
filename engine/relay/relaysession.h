#pragma once

#include "relay/deviceidentity.h"
#include "relay/protocol/relaymessage.h"
#include "relay/relaycontext.h"
#include "relay/storeerror.h"

#include <QElapsedTimer>
#include <QObject>
#include <QQueue>
#include <QStringList>
#include <QTimer>
#include <QWebSocket>

#include <memory>



namespace Pitwall {

// What forwarder and receiver sessions share: the socket, authentication with the upgrade's
// Bearer token, an ordered queue of incoming frames (a frame waits while the one before it is
// still being stored), protocol heartbeats with WebSocket pings, the idle deadline, and error
// frames. Lives on the relay thread; deletes itself after the socket closed.
class RelaySession : public QObject
{
    Q_OBJECT

public:
    RelaySession(RelayContext &context, std::unique_ptr<QWebSocket> socket,
                 QByteArray authorization, DeviceType endpointType);
    ~RelaySession() override;

    // Authenticates, then processes frames, starting with those that arrived before the session
    // existed. Call once, on the relay thread.
    void start(const QStringList &earlyFrames);

    const QString &sessionId() const { return m_sessionId; }
    const DeviceIdentity &identity() const { return m_identity; }
    bool isClosing() const { return m_closing; }

    // Sends an `error` frame and closes the socket (research §1.9: every error ends a session).
    void fail(ErrorCode code, const QString &message);
    // Closes without an error frame (shutdown).
    void close();

signals:
    // The socket closed; the session deletes itself next.
    void finished(Pitwall::RelaySession *session);

protected:
    // The token is valid for this endpoint; frames start flowing after this returns.
    virtual void authenticated() = 0;
    virtual void handleMessage(Message message) = 0;
    // A frame that did not parse.
    virtual void handleInvalidFrame(const ParseError &error) = 0;
    // The socket is gone: release what the session holds elsewhere.
    virtual void closed() = 0;

    RelayContext &context() { return m_context; }
    QWebSocket &socket() { return *m_socket; }
    void send(const Message &message);
    // A frame already serialized (batches shared by several receivers).
    void sendText(const QByteArray &text);
    // From now on heartbeats go out every ping interval; the first one now.
    void startHeartbeats();
    // While busy, frames wait in order; setBusy(false) processes what waited.
    void setBusy(bool busy);
    size_t workerKey() const { return qHash(m_identity.deviceId); }

private:
    void authenticate();
    void frameReceived(const QString &text);
    void processQueue();
    void tick();
    void socketClosed();

    RelayContext &m_context;
    std::unique_ptr<QWebSocket> m_socket;
    const QByteArray m_authorization;
    const DeviceType m_endpointType;
    const QString m_sessionId;
    DeviceIdentity m_identity;
    bool m_authenticated = false;
    bool m_heartbeats = false;
    bool m_busy = true; // until authenticated
    bool m_closing = false;
    bool m_finished = false;
    QQueue<QByteArray> m_queue;
    qint64 m_queuedBytes = 0;
    QTimer m_ticker;
    QElapsedTimer m_sinceHeard;
    QElapsedTimer m_sinceStart;
    QElapsedTimer m_sinceHeartbeat;
};

} // namespace Pitwall
