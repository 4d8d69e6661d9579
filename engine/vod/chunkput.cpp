#include "vod/chunkput.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// A file block per read, and how much may wait in the socket's own buffer before the next
// read. The plain socket is unbuffered: blocks go straight to the system until its send buffer
// is full, and only the block that did not fit waits. Measured with tests/bench/vod.sh, larger
// blocks or more waiting only add copies (1 MiB blocks and 4 MiB waiting: 25 % slower).
constexpr qint64 blockBytes = 256 * 1024;
constexpr qint64 socketBufferBytes = blockBytes;

} // namespace

ChunkPut::ChunkPut(Request request, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_file(m_request.filePath)
{
    m_stall.setSingleShot(true);
    m_stall.setInterval(m_request.stallTimeout);
    connect(&m_stall, &QTimer::timeout, this, [this] {
        fail(u"no byte moved for %1 ms"_s.arg(m_request.stallTimeout.count()));
    });
}

ChunkPut::~ChunkPut()
{
    abort();
}

void ChunkPut::start()
{
    QString refusal;
    for (const auto &[name, value] : m_request.headers) {
        if (name.contains('\r') || name.contains('\n') || value.contains('\r') || value.contains('\n'))
            refusal = u"the %1 header contains a line break"_s.arg(QString::fromLatin1(name));
    }
    if (refusal.isEmpty() && (!m_file.open(QIODevice::ReadOnly) || !m_file.seek(m_request.offset)))
        refusal = u"cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
    if (!refusal.isEmpty()) {
        // From the event loop, so the caller sees the failure after start() returned.
        QMetaObject::invokeMethod(this, [this, refusal] { fail(refusal); }, Qt::QueuedConnection);
        return;
    }
    const bool tls = m_request.url.scheme() == u"https"_s;
    m_socket = tls ? std::make_unique<QSslSocket>() : std::make_unique<QTcpSocket>();
    QTcpSocket *socket = m_socket.get();
    connect(socket, &QTcpSocket::bytesWritten, this, &ChunkPut::written);
    connect(socket, &QTcpSocket::readyRead, this, &ChunkPut::readAnswer);
    connect(socket, &QTcpSocket::disconnected, this, &ChunkPut::closed);
    connect(socket, &QTcpSocket::errorOccurred, this, &ChunkPut::socketError);
    const quint16 port = quint16(m_request.url.port(tls ? 443 : 80));
    if (tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        connect(ssl, &QSslSocket::encrypted, this, &ChunkPut::connected);
        ssl->connectToHostEncrypted(m_request.url.host(), port);
    } else {
        connect(socket, &QTcpSocket::connected, this, &ChunkPut::connected);
        // Unbuffered: a write goes to the system at once instead of through a copy that the
        // event loop flushes later (QSslSocket encrypts into its own buffer either way).
        socket->connectToHost(m_request.url.host(), port, QIODevice::ReadWrite | QIODevice::Unbuffered);
    }
    m_stall.start();
}

void ChunkPut::abort()
{
    m_done = true;
    m_stall.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QByteArray ChunkPut::head() const
{
    QByteArray target = m_request.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                                | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/";
    QByteArray host = m_request.url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (m_request.url.port() >= 0)
        host += ':' + QByteArray::number(m_request.url.port());
    QByteArray head = "PUT " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &[name, value] : m_request.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(m_request.length)
            + "\r\nConnection: close\r\n\r\n";
    return head;
}

void ChunkPut::connected()
{
    // Each block is written whole at once, so Nagle's algorithm has nothing to merge; it would
    // only hold the last, short segment of the chunk until the server's delayed ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(head());
    written();
}

void ChunkPut::fill()
{
    while (m_queued < m_request.length && m_socket->bytesToWrite() < socketBufferBytes) {
        m_block.resize(qsizetype(std::min(blockBytes, m_request.length - m_queued)));
        const qint64 read = m_file.read(m_block.data(), m_block.size());
        if (read <= 0) {
            fail(u"cannot read %1 at offset %2: %3"_s.arg(
                    m_file.fileName(), QString::number(m_request.offset + m_queued),
                    read < 0 ? m_file.errorString() : u"the file ended early"_s));
            return;
        }
        m_socket->write(m_block.constData(), read);
        m_queued += read;
    }
}

void ChunkPut::written()
{
    if (m_done)
        return;
    fill();
    if (m_done)
        return; // the file could not be read: failed() has been emitted
    // An unbuffered socket writes what the system takes at once and signals only what it
    // buffered. What waits in the socket is the end of what it was given (the head first), so
    // the body bytes out are those queued minus those waiting.
    const qint64 sent = std::max<qint64>(0, m_queued - m_socket->bytesToWrite());
    if (sent > m_sent) {
        m_sent = sent;
        m_stall.start();
        emit bytesSent(m_sent);
    }
}

void ChunkPut::readAnswer()
{
    m_stall.start();
    finish(m_reader.feed(m_socket->readAll()));
}

void ChunkPut::closed()
{
    if (!m_done)
        finish(m_reader.endOfStream());
}

void ChunkPut::socketError()
{
    if (m_done)
        return;
    // The server may close right after its answer: what it sent still counts.
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError) {
        m_reader.feed(m_socket->readAll());
        finish(m_reader.endOfStream());
        return;
    }
    fail(m_socket->errorString());
}

void ChunkPut::finish(ResponseReader::Progress progress)
{
    if (m_done || progress == ResponseReader::Progress::NeedMore)
        return;
    if (progress == ResponseReader::Progress::Failed) {
        fail(m_reader.error());
        return;
    }
    // An answer before the whole body went out (a refusal) ends the request too.
    abort();
    emit answered(m_reader.response());
}

void ChunkPut::fail(const QString &message)
{
    if (m_done)
        return;
    abort();
    emit failed(message);
}

} // namespace Pitwall
