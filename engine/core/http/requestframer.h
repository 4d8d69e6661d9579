#pragma once

#include "core/http/httpresponse.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Pitwall {

// Request line and header fields of one request, as the connection guard parsed them.
struct RequestHead
{
    QByteArray method;
    QByteArray target;
    int minorVersion = 1;        // HTTP/1.<minorVersion>
    HttpHeaders headers;
    bool keepAlive = true;
    bool expectsContinue = false;
    bool webSocketUpgrade = false;
};

// Finds where each HTTP/1.x request of a connection starts and ends, checking the limits while
// the bytes arrive: the connection guard feeds it every byte before Qt HttpServer reads it, so an
// oversized request is refused before its body is buffered anywhere. Its framing follows Qt
// HttpServer 6.4's (blank lines between requests skipped, LF accepted for CRLF) so both agree on
// request boundaries; what Qt would misread (trailers, Content-Length with Transfer-Encoding,
// folded headers) fails here first with 400.
class RequestFramer final
{
public:
    struct Limits
    {
        int maxHeaderBytes = 64 * 1024;
        qint64 maxBodyBytes = 16 * 1024 * 1024;
    };

    struct Event
    {
        enum class Kind {
            Started,          // first byte of a request
            HeadersComplete,  // head parsed, body (if any) follows
            Complete,         // last byte of the request
            Failed,           // refuse with `status`; the framer stops
        };
        Kind kind;
        RequestHead head;     // as far as parsed
        int status = 0;       // Failed only
        QString message;      // Failed only
    };

    explicit RequestFramer(Limits limits);

    QList<Event> feed(QByteArrayView data);

    // Between requests: nothing of a next request received yet.
    bool isIdle() const { return m_state == State::Idle; }
    // After a failure or a WebSocket upgrade request: further bytes are not HTTP requests.
    bool isStopped() const { return m_state == State::Stopped; }
    // What is known of the request being received (its request line, once that arrived).
    const RequestHead &currentHead() const { return m_head; }

private:
    enum class State { Idle, Head, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, LastChunkEnd,
                       Stopped };

    qsizetype consumeHead(QByteArrayView data, QList<Event> &events);
    bool parseRequestLine(QByteArrayView line, QList<Event> &events);
    qsizetype consumeLine(QByteArrayView data, QList<Event> &events);
    void headComplete(QList<Event> &events);
    void chunkSizeLine(QList<Event> &events);
    void crlfLine(QList<Event> &events);
    void complete(QList<Event> &events);
    void fail(QList<Event> &events, int status, const QString &message);

    const Limits m_limits;
    State m_state = State::Idle;
    RequestHead m_head;
    QByteArray m_buffer;   // the head, or the current chunk-size / CRLF line
    qint64 m_remaining = 0;
    qint64 m_bodyBytes = 0;
};

} // namespace Pitwall
