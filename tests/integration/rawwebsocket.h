#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpSocket>

// A WebSocket client written by hand on a QTcpSocket, for peers QWebSocket cannot play: one
// that never answers pings (QWebSocket always pongs) and one that stops reading so the server's
// send queue fills. Frames from the server are unmasked and parsed from the received bytes.
class RawWebSocket final
{
public:
    struct Frame
    {
        int opcode = 0; // 0x1 text, 0x8 close, 0x9 ping
        QByteArray payload;
    };

    // TCP connect plus the upgrade request with `Authorization: Bearer <token>`; true on 101.
    bool open(quint16 port, const QString &path, const QString &token);
    // One masked text frame, as a client must send it.
    void sendText(const QByteArray &payload);

    // While paused, at most a few KiB are taken from the kernel, whose buffer then fills and
    // closes the TCP window: the server's writes pile up in its own send queue.
    void pauseReading();
    void resumeReading();

    // Processes events until a received text frame contains `needle`.
    bool waitForText(QByteArrayView needle, int timeoutMs = 5000);
    // Reads until the server closed the connection.
    bool waitForDisconnected(int timeoutMs = 5000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // Every complete frame received so far, in order.
    QList<Frame> frames();
    qint64 bytesReceived() const { return m_received.size(); }

private:
    void readAvailable();

    QTcpSocket m_socket;
    QByteArray m_received; // after the upgrade response
    bool m_paused = false;
};
