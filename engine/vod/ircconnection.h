#pragma once

#include "vod/ircmessage.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

class QTcpSocket;

namespace Pitwall {

struct ChatSettings;

// A client connection to Twitch's IRC (or any IRC server) that joins one channel and stays
// there: PASS oauth:<token>, NICK and USER; after the welcome CAP REQ for Twitch's tags,
// commands and membership (a NAK is logged and ignored) and JOIN. It answers PING, sends its
// own after pingInterval of silence and reconnects when no answer comes within pongTimeout.
// Every disconnect, a login failure included, is followed by a reconnect after an exponential
// backoff, which the welcome resets; it logs in again each time. The token is never logged.
class IrcConnection final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString host;
        quint16 port = 6697;
        bool tls = true;
        QString username;
        QString token; // with or without "oauth:"
        QString channel; // login, without '#'
        std::chrono::milliseconds pingInterval = std::chrono::seconds(15);
        std::chrono::milliseconds pongTimeout = std::chrono::seconds(5);
        std::chrono::milliseconds reconnectInitialDelay = std::chrono::seconds(1);
        std::chrono::milliseconds reconnectMaxDelay = std::chrono::minutes(1);
        // From the start of an attempt to the server's welcome.
        std::chrono::milliseconds loginTimeout = std::chrono::seconds(10);
    };

    explicit IrcConnection(Options options, QObject *parent = nullptr);
    ~IrcConnection() override;
    Q_DISABLE_COPY_MOVE(IrcConnection)

    // The chat settings' server, login and timings for one channel.
    static Options optionsFor(const ChatSettings &settings, const QString &channel);
    // "PASS oauth:<token>", adding the prefix when the token lacks it.
    static QByteArray passCommand(const QString &token);

    const Options &options() const { return m_options; }
    // Connects and stays connected until close().
    void open();
    void close();
    bool isOpen() const { return m_wanted; }
    // The server confirmed our JOIN and messages of the channel are arriving.
    bool isJoined() const { return m_joined; }
    // Times the connection was lost and logged in again.
    int reconnections() const { return m_reconnections; }

signals:
    void messageReceived(const Pitwall::IrcMessage &message);
    // Logged in (the server's welcome).
    void connected();
    void joined(const QString &channel);
    void disconnected(const QString &reason);
    // Logged in again after a lost connection; total counts them.
    void reconnected(int total);
    void loginFailed(const QString &notice);

private:
    void connectNow();
    void onConnected();
    void onReadyRead();
    void handle(const IrcMessage &message);
    void sendLine(const QByteArray &line);
    void ping();
    // Ends the current socket (once) and, while open, schedules the next attempt.
    void drop(const QString &reason);
    std::chrono::milliseconds nextDelay();

    const Options m_options;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QTimer m_loginTimer;
    QTimer m_reconnectTimer;
    int m_failedAttempts = 0;
    int m_reconnections = 0;
    bool m_wanted = false;
    bool m_registered = false;
    bool m_joined = false;
    bool m_everRegistered = false;
};

} // namespace Pitwall
