#include "core/http/exchange.h"

#include "core/http/httpconnection.h"
#include "core/log/logcategories.h"
#include "core/log/logcontext.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The server frames responses itself; a handler's own values for these would contradict it.
bool isManagedHeader(QByteArrayView name)
{
    for (QByteArrayView managed : {"Content-Length", "Transfer-Encoding", "Connection",
                                   "X-Correlation-ID"}) {
        if (name.compare(managed, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// A CR or LF in a field would let a value smuggle in headers or a second response.
bool isSafeField(const QByteArray &name, const QByteArray &value)
{
    const auto unsafe = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
    return !name.isEmpty() && std::none_of(name.begin(), name.end(), unsafe)
        && !name.contains(':') && !name.contains(' ')
        && std::none_of(value.begin(), value.end(), unsafe);
}

bool hasNoBody(int status)
{
    return status == 204 || status == 304;
}

} // namespace

Exchange::Exchange(HttpConnection *connection, HttpRequest request, ResponseFraming framing,
                   QObject *context, FinishedHook onFinished)
    : m_connection(connection)
    , m_request(std::move(request))
    , m_framing(framing)
    , m_thread(QThread::currentThread())
    , m_context(context)
    , m_onFinished(std::move(onFinished))
    , m_closes(!framing.keepAlive)
{
    m_elapsed.start();
}

void Exchange::run(std::function<void()> operation)
{
    if (QThread::currentThread() == m_thread)
        operation();
    else if (QObject *context = m_context.data())
        QMetaObject::invokeMethod(context, std::move(operation), Qt::QueuedConnection);
}

void Exchange::respond(const HttpResponse &response)
{
    if (m_state != State::Pending) {
        qCWarning(lcHttp) << "response for" << m_request.path << "was already sent";
        return;
    }
    if (response.status() < 200 || response.status() > 599) {
        qCWarning(lcHttp) << "handler for" << m_request.path << "answered with invalid status"
                          << response.status();
        respond(HttpResponse::error(500, u"handler answered with an invalid status"_s));
        return;
    }
    const bool bodyless = hasNoBody(response.status());
    QByteArray bytes = encodeHead(response.status(), response.headers(),
                                  bodyless ? std::nullopt
                                           : std::optional<qint64>(response.body().size()));
    if (!bodyless && !m_framing.headOnly)
        bytes += response.body();
    send(bytes);
    done(response.status());
}

void Exchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_state != State::Pending || status < 200 || status > 599 || hasNoBody(status)) {
        qCWarning(lcHttp) << "cannot start a streamed response" << status << "for"
                          << m_request.path;
        return;
    }
    // HTTP/1.0 has no chunked encoding: the end of the body is the end of the connection.
    m_closes = m_closes || m_framing.http10;
    send(encodeHead(status, headers, std::nullopt));
    m_status = status;
    m_state = State::Streaming;
    if (m_framing.headOnly)
        done(status);
}

void Exchange::write(const QByteArray &data)
{
    if (m_state != State::Streaming || data.isEmpty())
        return;
    send(m_framing.http10 ? data
                          : QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void Exchange::finish()
{
    if (m_state == State::Pending) // the stream never started: still owes an answer
        abandon();
    if (m_state != State::Streaming)
        return;
    if (!m_framing.http10)
        send("0\r\n\r\n");
    done(m_status);
}

void Exchange::abandon()
{
    LogContext::Scope scope(m_request.correlationId);
    if (m_state == State::Pending) {
        qCWarning(lcHttp) << "handler for" << m_request.method << m_request.path
                          << "dropped its responder without answering";
        respond(HttpResponse::error(500, u"INTERNAL_ERROR"_s, u"the request was not answered"_s));
    } else if (m_state == State::Streaming) {
        qCWarning(lcHttp) << "streamed response for" << m_request.path << "was not finished";
        m_closes = true;
        done(m_status);
    }
}

void Exchange::setOnDisconnected(std::function<void()> callback)
{
    if (m_lost && m_state != State::Done)
        callback();
    else
        m_onDisconnected = std::move(callback);
}

void Exchange::connectionLost()
{
    m_lost = true;
    m_open = false;
    if (m_state != State::Done && m_onDisconnected)
        std::exchange(m_onDisconnected, {})();
}

QByteArray Exchange::encodeHead(int status, const HttpHeaders &headers,
                                std::optional<qint64> contentLength)
{
    // A server shutting down announces that this response is the connection's last.
    if (const HttpConnection *connection = m_connection.data(); connection && connection->isDraining())
        m_closes = true;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' '
                    + HttpResponse::reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers) {
        if (isManagedHeader(name))
            continue;
        if (!isSafeField(name, value)) {
            qCWarning(lcHttp) << "dropped unsafe response header" << name << "for"
                              << m_request.path;
            continue;
        }
        head += name + ": " + value + "\r\n";
    }
    if (contentLength)
        head += "Content-Length: " + QByteArray::number(*contentLength) + "\r\n";
    else if (!m_framing.http10 && !hasNoBody(status))
        head += "Transfer-Encoding: chunked\r\n";
    head += "X-Correlation-ID: " + m_request.correlationId.toLatin1() + "\r\n";
    if (m_closes)
        head += "Connection: close\r\n";
    else if (m_framing.http10)
        head += "Connection: keep-alive\r\n";
    return head + "\r\n";
}

void Exchange::send(const QByteArray &bytes)
{
    if (HttpConnection *connection = m_connection.data(); connection && !m_lost)
        connection->deliver(this, bytes);
}

void Exchange::done(int status)
{
    m_state = State::Done;
    m_open = false;
    m_onDisconnected = {};
    if (m_onFinished) {
        m_onFinished(m_request, status, std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::nanoseconds(m_elapsed.nsecsElapsed())));
    }
    if (HttpConnection *connection = m_connection.data())
        connection->exchangeDone();
}

} // namespace Pitwall
