#include "rawwebsocket.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTest>

namespace {

// What Qt takes from the kernel while paused; the kernel's buffer then fills, and the TCP window
// closes.
constexpr qint64 pausedBufferBytes = 4096;

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

} // namespace

bool RawWebSocket::open(quint16 port, const QString &path, const QString &token)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!m_socket.waitForConnected(5000))
        return false;
    m_socket.write("GET " + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1:"
                   + QByteArray::number(port) + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                   + randomBytes(16).toBase64() + "\r\nAuthorization: Bearer " + token.toUtf8()
                   + "\r\n\r\n");
    QByteArray response;
    QDeadlineTimer deadline(5000);
    while (!response.contains("\r\n\r\n")) {
        if (deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime())))
            return false;
        response += m_socket.readAll();
    }
    const qsizetype end = response.indexOf("\r\n\r\n") + 4;
    m_received = response.mid(end);
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { readAvailable(); });
    return response.startsWith("HTTP/1.1 101");
}

void RawWebSocket::sendText(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81)); // FIN, text
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    const QByteArray mask = randomBytes(4);
    frame.append(mask);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload.at(i) ^ mask.at(i % 4)));
    m_socket.write(frame);
    m_socket.flush();
}

void RawWebSocket::pauseReading()
{
    m_paused = true;
    m_socket.setReadBufferSize(pausedBufferBytes);
}

void RawWebSocket::resumeReading()
{
    m_paused = false;
    m_socket.setReadBufferSize(0);
    readAvailable();
}

void RawWebSocket::readAvailable()
{
    if (!m_paused)
        m_received += m_socket.readAll();
}

bool RawWebSocket::waitForText(QByteArrayView needle, int timeoutMs)
{
    return QTest::qWaitFor([this, needle] {
        for (const Frame &frame : frames()) {
            if (frame.opcode == 0x1 && frame.payload.contains(needle))
                return true;
        }
        return false;
    }, timeoutMs);
}

bool RawWebSocket::waitForDisconnected(int timeoutMs)
{
    const bool closed = QTest::qWaitFor([this] { return !isConnected(); }, timeoutMs);
    readAvailable();
    return closed;
}

QList<RawWebSocket::Frame> RawWebSocket::frames()
{
    QList<Frame> out;
    qsizetype at = 0;
    const auto byte = [this](qsizetype index) { return quint8(m_received.at(index)); };
    while (at + 2 <= m_received.size()) {
        const int opcode = byte(at) & 0x0f;
        quint64 size = byte(at + 1) & 0x7f;
        qsizetype header = 2;
        const int extended = size == 126 ? 2 : size == 127 ? 8 : 0;
        if (at + header + extended > m_received.size())
            break;
        if (extended > 0) {
            size = 0;
            for (int i = 0; i < extended; ++i)
                size = (size << 8) | byte(at + header + i);
            header += extended;
        }
        if (at + header + qsizetype(size) > m_received.size())
            break;
        out.append({opcode, m_received.mid(at + header, qsizetype(size))});
        at += header + qsizetype(size);
    }
    return out;
}
