#include "relayclient.h"

#include <QDeadlineTimer>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

RelayClient::RelayClient(QObject *parent) : QObject(parent)
{
    // Large replays arrive in many frames: keep the default limits, no compression.
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        Frame frame{text.toUtf8(), std::nullopt};
        ParseResult parsed = parseMessage(frame.text);
        if (auto *message = std::get_if<Message>(&parsed))
            frame.message = std::move(*message);
        m_frames.append(std::move(frame));
    });
}

bool RelayClient::open(quint16 port, const QString &path, const QString &token,
                       std::chrono::milliseconds timeout)
{
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(port).arg(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    m_socket.open(request);
    return waitUntil([this] { return isConnected(); }, timeout);
}

void RelayClient::send(const Message &message)
{
    sendText(serialize(message));
}

void RelayClient::sendText(const QByteArray &text)
{
    m_socket.sendTextMessage(QString::fromUtf8(text));
    m_socket.flush();
}

void RelayClient::close()
{
    m_socket.close();
    waitForDisconnect(std::chrono::seconds(5));
}

bool RelayClient::waitForDisconnect(std::chrono::milliseconds timeout)
{
    return waitUntil([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                     timeout);
}

bool RelayClient::waitUntil(const std::function<bool()> &condition,
                            std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(5);
    }
    return true;
}

QString RelayClient::sessionId() const
{
    const QList<Heartbeat> heartbeats = all<Heartbeat>();
    return heartbeats.isEmpty() ? QString() : heartbeats.first().sessionId;
}

QList<ReadEvent> RelayClient::receivedEvents() const
{
    QList<ReadEvent> events;
    for (const ReceiverEventBatch &batch : all<ReceiverEventBatch>())
        events += batch.events;
    return events;
}

bool RelayClient::helloForwarder(const QStringList &readerIps, const QString &forwarderId,
                                 const std::optional<QString> &displayName)
{
    send(ForwarderHello{forwarderId, readerIps, displayName});
    return waitFor<Heartbeat>().has_value();
}

std::optional<ForwarderAck> RelayClient::sendBatch(const QList<ReadEvent> &events)
{
    ++m_batchesSent;
    send(ForwarderEventBatch{sessionId(), u"b-%1"_s.arg(m_batchesSent), events});
    return waitFor<ForwarderAck>(m_batchesSent);
}

QList<ReadEvent> relayFrames(const QString &readerIp, qint64 epoch, qint64 first, qint64 last,
                             const QString &forwarderId)
{
    QList<ReadEvent> events;
    for (qint64 seq = first; seq <= last; ++seq) {
        events.append({forwarderId, readerIp, epoch, seq, u"2026-02-17T10:00:00.000Z"_s,
                       "LINE_" + QByteArray::number(seq), u"RAW"_s});
    }
    return events;
}
