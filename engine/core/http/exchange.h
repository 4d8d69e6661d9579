#pragma once

#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"

#include <QElapsedTimer>
#include <QPointer>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

class QThread;

namespace Pitwall {

class HttpConnection;

// How the response to one request must be framed on the wire.
struct ResponseFraming
{
    bool headOnly = false;  // HEAD: headers only
    bool http10 = false;    // no chunked encoding: a stream ends by closing the connection
    bool keepAlive = true;
};

// One request and its response on a connection. Its HttpConnection queues exchanges so that
// pipelined responses leave in request order even when a later one is answered first. Lives on
// the HTTP thread; only isOpen() and run() may be called from elsewhere.
class Exchange final
{
public:
    using FinishedHook =
        std::function<void(const HttpRequest &, int status, std::chrono::microseconds)>;

    Exchange(HttpConnection *connection, HttpRequest request, ResponseFraming framing,
             QObject *context, FinishedHook onFinished);
    Q_DISABLE_COPY_MOVE(Exchange)

    const HttpRequest &request() const { return m_request; }
    bool isOpen() const { return m_open.load(); }
    // Runs `operation` on the HTTP thread: now when called there, else queued to `context`.
    void run(std::function<void()> operation);

    void respond(const HttpResponse &response);
    void beginStream(int status, const HttpHeaders &headers);
    void write(const QByteArray &data);
    void finish();
    // The responder went away: an unanswered request gets a 500, an unfinished stream is cut off
    // (the connection closes, so the client sees a truncated transfer, not a complete one).
    void abandon();
    void setOnDisconnected(std::function<void()> callback);

    // For HttpConnection.
    bool isDone() const { return m_state == State::Done; }
    bool closesConnection() const { return m_closes; }
    QByteArray takeBacklog() { return std::exchange(m_backlog, {}); }
    void appendBacklog(const QByteArray &bytes) { m_backlog += bytes; }
    void connectionLost();

private:
    enum class State { Pending, Streaming, Done };

    QByteArray encodeHead(int status, const HttpHeaders &headers,
                          std::optional<qint64> contentLength);
    void send(const QByteArray &bytes);
    void done(int status);

    QPointer<HttpConnection> m_connection;
    const HttpRequest m_request;
    const ResponseFraming m_framing;
    QThread *const m_thread;
    const QPointer<QObject> m_context;
    const FinishedHook m_onFinished;
    std::function<void()> m_onDisconnected;
    QElapsedTimer m_elapsed;
    QByteArray m_backlog;
    State m_state = State::Pending;
    int m_status = 0;
    bool m_closes;
    bool m_lost = false;
    std::atomic<bool> m_open{true};
};

} // namespace Pitwall
