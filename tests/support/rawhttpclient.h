#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpSocket>

// A test client that writes exact bytes to an HTTP server and parses what comes back, for what
// QNetworkAccessManager cannot do: pipelining, malformed or slow requests, oversized bodies.
class RawHttpClient
{
public:
    struct Response
    {
        int status = 0;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;       // de-chunked
        int chunks = 0;        // how many chunks a chunked body came in
        QByteArray header(QByteArrayView name) const;
    };

    bool connectTo(quint16 port);
    void send(const QByteArray &bytes);
    // Waits until `count` complete responses arrived (HEAD responses: set headOnly); returns what
    // arrived by then, which the caller compares with what it expected.
    QList<Response> responses(int count, int timeoutMs = 5000, bool headOnly = false);
    bool waitForDisconnected(int timeoutMs = 5000);
    bool isConnected() const;
    // Everything received so far, raw.
    const QByteArray &received() const { return m_received; }
    // Processes events for up to `timeoutMs`, reading what arrives; true if bytes arrived.
    bool waitForBytes(int timeoutMs);
    // Reads until `needle` was received or `timeoutMs` passed.
    bool waitForData(QByteArrayView needle, int timeoutMs = 5000);

    // Parses the complete responses at the start of `data`.
    static QList<Response> parse(const QByteArray &data, bool headOnly = false);

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};
