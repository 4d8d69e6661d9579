#pragma once

#include "core/http/httpresponse.h"
#include "core/http/responsereader.h"

#include <QByteArray>
#include <QFile>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>

class QTcpSocket;

namespace Pitwall {

// One PUT whose body is a byte range of a file, sent over a connection of its own (QSslSocket
// for https, verifying the server as QNetworkAccessManager does) and answered by one HTTP/1.1
// response. ResumableUpload sends its chunks through it because QNetworkAccessManager hands
// upload data from the caller's thread to its HTTP thread 16 KiB per round trip of queued
// signals, which caps an upload at a fraction of what the link carries (tests/bench/vod.sh).
// Here the file is read in blocks that go straight to the system's send buffer, with TCP_NODELAY
// so the last segment of a chunk is not held back waiting for a delayed ACK. The connection closes after
// the answer. A connection that moves no byte for the stall timeout fails.
class ChunkPut final : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QUrl url;
        HttpHeaders headers;     // besides Host, Content-Length and Connection
        QString filePath;
        qint64 offset = 0;
        qint64 length = 0;
        std::chrono::milliseconds stallTimeout{std::chrono::minutes(2)};
    };

    explicit ChunkPut(Request request, QObject *parent = nullptr);
    ~ChunkPut() override;
    Q_DISABLE_COPY_MOVE(ChunkPut)

    // Opens the file and connects; the outcome comes as answered() or failed(), once.
    void start();
    // Closes the connection at once; no signal follows.
    void abort();

signals:
    // Body bytes the socket has handed to the system so far.
    void bytesSent(qint64 sent);
    void answered(const Pitwall::HttpResponse &response);
    void failed(const QString &message);

private:
    QByteArray head() const;
    void connected();
    void fill();
    void written();
    void readAnswer();
    void closed();
    void socketError();
    void finish(ResponseReader::Progress progress);
    void fail(const QString &message);

    const Request m_request;
    QFile m_file;
    std::unique_ptr<QTcpSocket> m_socket;
    QTimer m_stall;
    ResponseReader m_reader;
    QByteArray m_block;      // the file block being handed to the socket
    qint64 m_queued = 0;     // body bytes given to the socket
    qint64 m_sent = 0;       // body bytes handed to the system
    bool m_done = false;
};

} // namespace Pitwall
