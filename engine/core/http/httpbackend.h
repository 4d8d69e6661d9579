#pragma once

#include "core/http/httprequest.h"
#include "core/http/httpresponder.h"

#include <QtHttpServer/QAbstractHttpServer>

#include <functional>

namespace Pitwall {

// The only Qt HttpServer type we derive from, and the only file besides its .cpp that includes a
// QtHttpServer header: its API changed after 6.4 (QHttpServerResponder, bind(), verifiers), so a
// port to a newer Qt starts and ends here. Qt parses the requests, keeps the connections and does
// the WebSocket handshake; every request it completes goes to `dispatch` with a responder.
class HttpBackend final : public QAbstractHttpServer
{
    Q_OBJECT

public:
    using Dispatch = std::function<void(const HttpRequest &, HttpResponder)>;

    explicit HttpBackend(Dispatch dispatch, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HttpBackend)

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    const Dispatch m_dispatch;
};

} // namespace Pitwall
