#pragma once

#include "core/http/httpresponse.h"

#include <functional>
#include <memory>

namespace Pitwall {

class Exchange;

// The way to answer one request: at once, later (after work on another thread), or as a stream
// (long exports, Server-Sent Events). Move-only.
//
// Answer on the HTTP server's thread: marshal results back with QMetaObject::invokeMethod onto
// the server or any object living there. Calls made from another thread are queued to the HTTP
// thread in call order, which keeps a responder dropped on a worker thread from going unanswered;
// the HttpServer must then outlive those threads.
//
// A responder destroyed without an answer sends 500 (a stream left unfinished is cut off), so a
// client never hangs. Once the client has gone, answers and writes do nothing; isOpen() tells.
class HttpResponder final
{
public:
    HttpResponder() = default;
    explicit HttpResponder(std::shared_ptr<Exchange> exchange);
    HttpResponder(HttpResponder &&other) noexcept = default;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    ~HttpResponder();
    Q_DISABLE_COPY(HttpResponder)

    // Still owes the client an answer (or the end of a stream).
    bool isValid() const { return m_exchange != nullptr; }
    // The client is still connected and can receive more of this response.
    bool isOpen() const;
    QString correlationId() const;

    void send(const HttpResponse &response);

    // Starts a streamed response (chunked; "text/event-stream" for SSE), then write() pieces as
    // they come and finish() at the end.
    void beginStream(int status, const HttpHeaders &headers);
    void write(const QByteArray &data);
    void finish();

    // Called on the HTTP thread when the client disconnects before the response is finished,
    // so a stream's producer can stop.
    void onDisconnected(std::function<void()> callback);

private:
    void post(std::function<void(Exchange &)> operation);
    void release();

    std::shared_ptr<Exchange> m_exchange;
};

} // namespace Pitwall
