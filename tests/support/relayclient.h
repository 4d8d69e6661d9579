#pragma once

#include "relay/protocol/relaymessage.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QWebSocket>

#include <chrono>
#include <functional>
#include <optional>

// A real WebSocket client of the relay for tests: connects to ws://127.0.0.1:<port><path>
// with `Authorization: Bearer <token>`, records every text frame it receives (parsed with the
// protocol's own parser, raw text kept too) and lets the test wait for frames of a kind.
class RelayClient final : public QObject
{
    Q_OBJECT

public:
    struct Frame
    {
        QByteArray text;
        std::optional<Pitwall::Message> message; // nullopt when it did not parse
    };

    explicit RelayClient(QObject *parent = nullptr);

    // Empty token: no Authorization header at all. True once the socket is open.
    bool open(quint16 port, const QString &path, const QString &token,
              std::chrono::milliseconds timeout = std::chrono::seconds(10));
    void send(const Pitwall::Message &message);
    void sendText(const QByteArray &text);
    void close();
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // Waits for the server to close the socket.
    bool waitForDisconnect(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Everything received so far, in order.
    const QList<Frame> &frames() const { return m_frames; }
    // The messages of one alternative received so far.
    template <typename T>
    QList<T> all() const
    {
        QList<T> out;
        for (const Frame &frame : m_frames) {
            if (frame.message && std::holds_alternative<T>(*frame.message))
                out.append(std::get<T>(*frame.message));
        }
        return out;
    }
    // Waits until `count` messages of type T have arrived in total; the last of them.
    template <typename T>
    std::optional<T> waitFor(int count = 1,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10))
    {
        if (!waitUntil([this, count] { return all<T>().size() >= count; }, timeout))
            return std::nullopt;
        return all<T>().at(count - 1);
    }
    bool waitUntil(const std::function<bool()> &condition,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // The first heartbeat's session id (empty before it).
    QString sessionId() const;
    // Every event of every receiver_event_batch so far, in arrival order.
    QList<Pitwall::ReadEvent> receivedEvents() const;

    // Forwarder helpers: hello, then wait for the heartbeat.
    bool helloForwarder(const QStringList &readerIps, const QString &forwarderId = {},
                        const std::optional<QString> &displayName = {});
    // Sends one batch and waits for its ack (the n-th ack of this session).
    std::optional<Pitwall::ForwarderAck> sendBatch(const QList<Pitwall::ReadEvent> &events);

    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<Frame> m_frames;
    int m_batchesSent = 0;
};

// frames(n) of the research's acceptance scenarios: epoch `epoch`, seq first..last, raw_frame
// "LINE_<seq>", read_type RAW, reader_timestamp 2026-02-17T10:00:00.000Z.
QList<Pitwall::ReadEvent> relayFrames(const QString &readerIp, qint64 epoch, qint64 first,
                                      qint64 last, const QString &forwarderId = {});
