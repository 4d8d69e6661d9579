#include "tmistandin.h"

#include <QTcpSocket>

#include <algorithm>

TmiStandin::TmiStandin(const QByteArray &expectedPass, QObject *parent)
    : QObject(parent), m_expectedPass(expectedPass)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TmiStandin::onNewConnection);
}

TmiStandin::~TmiStandin()
{
    qDeleteAll(m_clients);
}

bool TmiStandin::start()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

int TmiStandin::loggedInClients() const
{
    return int(std::count_if(m_clients.cbegin(), m_clients.cend(),
                             [](const Client *client) { return client->loggedIn; }));
}

void TmiStandin::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_connections;
        auto *client = new Client{socket, {}, {}, {}, false};
        m_clients.append(client);
        connect(socket, &QTcpSocket::readyRead, this, [this, client] {
            client->buffer += client->socket->readAll();
            qsizetype end;
            while (client->socket && (end = client->buffer.indexOf('\n')) >= 0) {
                QByteArray line = client->buffer.first(end);
                client->buffer.remove(0, end + 1);
                if (line.endsWith('\r'))
                    line.chop(1);
                onLine(*client, line);
            }
        });
        // Queued: a client may go while its own readyRead loop still runs.
        connect(socket, &QTcpSocket::disconnected, this, [this, client] {
            m_clients.removeOne(client);
            if (client->socket)
                client->socket->deleteLater();
            delete client;
        }, Qt::QueuedConnection);
    }
}

void TmiStandin::onLine(Client &client, const QByteArray &line)
{
    m_received.append(line);
    emit lineReceived(line);
    const QList<QByteArray> words = line.split(' ');
    const QByteArray command = words.value(0).toUpper();
    const QByteArray argument = words.value(1);
    if (command == "PASS") {
        client.pass = argument;
    } else if (command == "NICK") {
        client.nick = argument;
        if (client.pass != m_expectedPass) {
            send(client, ":tmi.twitch.tv NOTICE * :Login authentication failed");
            client.socket->disconnectFromHost();
            return;
        }
        client.loggedIn = true;
        send(client, ":tmi.twitch.tv 001 " + client.nick + " :Welcome, GLHF!");
        send(client, ":tmi.twitch.tv 376 " + client.nick + " :>");
    } else if (command == "CAP" && argument == "REQ") {
        send(client, ":tmi.twitch.tv CAP * ACK " + line.mid(line.indexOf(':')));
    } else if (command == "JOIN" && client.loggedIn) {
        const QByteArray who = client.nick + '!' + client.nick + '@' + client.nick;
        send(client, ':' + who + ".tmi.twitch.tv JOIN " + argument);
        emit clientJoined(argument);
    } else if (command == "PING" && m_answersPing) {
        send(client, ":tmi.twitch.tv PONG tmi.twitch.tv " + line.mid(5));
    }
}

void TmiStandin::send(Client &client, const QByteArray &line)
{
    if (client.socket)
        client.socket->write(line + "\r\n");
}

void TmiStandin::sendToAll(const QByteArray &line)
{
    for (Client *client : std::as_const(m_clients)) {
        if (client->loggedIn)
            send(*client, line);
    }
}

void TmiStandin::privmsg(const QByteArray &tags, const QByteArray &login,
                         const QByteArray &channel, const QByteArray &text)
{
    sendToAll('@' + tags + " :" + login + '!' + login + '@' + login + ".tmi.twitch.tv PRIVMSG #"
              + channel + " :" + text);
}

void TmiStandin::dropClients()
{
    for (Client *client : QList<Client *>(m_clients))
        client->socket->abort();
}
