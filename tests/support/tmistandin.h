#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;

// A tiny stand-in for Twitch's IRC server (tmi.twitch.tv) on 127.0.0.1: it welcomes a client
// whose PASS equals the expected one (or refuses it with Twitch's NOTICE and closes), ACKs
// CAP REQ, echoes JOIN, answers PING, and sends whatever tagged lines the test asks for. It
// records every line clients sent, and can drop all clients or stop answering PINGs.
class TmiStandin final : public QObject
{
    Q_OBJECT

public:
    explicit TmiStandin(const QByteArray &expectedPass, QObject *parent = nullptr);
    ~TmiStandin() override;
    Q_DISABLE_COPY_MOVE(TmiStandin)

    bool start();
    quint16 port() const { return m_server.serverPort(); }

    // Lines received from clients (without CR LF), in order, across connections.
    const QList<QByteArray> &received() const { return m_received; }
    int connectionCount() const { return m_connections; }
    int loggedInClients() const;
    // Sends a raw line (without CR LF) to every logged-in client.
    void sendToAll(const QByteArray &line);
    // "@<tags> :<login>!<login>@<login>.tmi.twitch.tv PRIVMSG #<channel> :<text>"
    void privmsg(const QByteArray &tags, const QByteArray &login, const QByteArray &channel,
                 const QByteArray &text);
    void dropClients();
    void setAnswersPing(bool answers) { m_answersPing = answers; }
    void setExpectedPass(const QByteArray &pass) { m_expectedPass = pass; }

signals:
    void lineReceived(const QByteArray &line);
    void clientJoined(const QByteArray &channel);

private:
    struct Client
    {
        QPointer<QTcpSocket> socket;
        QByteArray buffer;
        QByteArray pass;
        QByteArray nick;
        bool loggedIn = false;
    };

    void onNewConnection();
    void onLine(Client &client, const QByteArray &line);
    static void send(Client &client, const QByteArray &line);

    QTcpServer m_server;
    QByteArray m_expectedPass;
    QList<Client *> m_clients;
    QList<QByteArray> m_received;
    int m_connections = 0;
    bool m_answersPing = true;
};
