#include "rawhttpclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHostAddress>

namespace {

// Parses one response at `pos`; false when it is not complete yet.
bool parseOne(const QByteArray &data, qsizetype &pos, bool headOnly, RawHttpClient::Response &out)
{
    const qsizetype headEnd = data.indexOf("\r\n\r\n", pos);
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = data.mid(pos, headEnd - pos).split('\n');
    RawHttpClient::Response response;
    response.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        response.headers.append({line.first(colon), line.sliced(colon + 1).trimmed()});
    }
    qsizetype cursor = headEnd + 4;
    const bool bodyless = headOnly || response.status == 204 || response.status == 304
                       || response.status < 200;
    if (!bodyless && response.header("Transfer-Encoding") == "chunked") {
        for (;;) {
            const qsizetype lineEnd = data.indexOf("\r\n", cursor);
            if (lineEnd < 0)
                return false;
            const qsizetype size = data.mid(cursor, lineEnd - cursor).toLongLong(nullptr, 16);
            if (data.size() < lineEnd + 2 + size + 2)
                return false;
            response.body += data.mid(lineEnd + 2, size);
            cursor = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
            ++response.chunks;
        }
    } else if (!bodyless) {
        const qsizetype length = response.header("Content-Length").toLongLong();
        if (data.size() < cursor + length)
            return false;
        response.body = data.mid(cursor, length);
        cursor += length;
    }
    pos = cursor;
    out = response;
    return true;
}

} // namespace

QByteArray RawHttpClient::Response::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool RawHttpClient::connectTo(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(5000);
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

bool RawHttpClient::waitForBytes(int timeoutMs)
{
    const qsizetype before = m_received.size();
    const QDeadlineTimer deadline(timeoutMs);
    while (m_received.size() == before && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        m_received += m_socket.readAll();
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            break;
    }
    return m_received.size() > before;
}

bool RawHttpClient::waitForData(QByteArrayView needle, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_received.contains(needle) && !deadline.hasExpired() && isConnected())
        waitForBytes(int(qMax<qint64>(1, deadline.remainingTime())));
    return m_received.contains(needle);
}

QList<RawHttpClient::Response> RawHttpClient::responses(int count, int timeoutMs, bool headOnly)
{
    const QDeadlineTimer deadline(timeoutMs);
    QList<Response> parsed = parse(m_received, headOnly);
    while (parsed.size() < count && !deadline.hasExpired()
           && m_socket.state() == QAbstractSocket::ConnectedState) {
        waitForBytes(int(qMax<qint64>(1, deadline.remainingTime())));
        parsed = parse(m_received, headOnly);
    }
    return parsed;
}

bool RawHttpClient::waitForDisconnected(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        m_received += m_socket.readAll();
    }
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

bool RawHttpClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

QList<RawHttpClient::Response> RawHttpClient::parse(const QByteArray &data, bool headOnly)
{
    QList<Response> result;
    qsizetype pos = 0;
    Response response;
    while (parseOne(data, pos, headOnly, response))
        result.append(response);
    return result;
}
