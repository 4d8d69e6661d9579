#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Pitwall {

class HttpResponder;
struct RelayMetrics;

// The dashboard's Server-Sent Events (GET /api/v1/events): every published event goes to every
// client as `event: <type>` + `data: <json>`, with a keep-alive comment every 15 s. Lives on
// the relay thread; the responders write through to the HTTP thread.
class EventBroadcaster final : public QObject
{
    Q_OBJECT

public:
    EventBroadcaster(RelayMetrics &metrics, QObject *parent = nullptr);
    ~EventBroadcaster() override;

    // Takes a responder whose stream has begun (status, text/event-stream).
    void addClient(std::shared_ptr<HttpResponder> responder);
    // event["type"] names the SSE event.
    void publish(const QJsonObject &event);
    int clientCount() const { return int(m_clients.size()); }
    // Ends every stream (shutdown).
    void closeAll();

signals:
    // Every event publish() is given, with or without SSE clients (the desktop console).
    void published(const QJsonObject &event);

private:
    void write(const QByteArray &chunk);
    void removeClient(quint64 id);

    RelayMetrics &m_metrics;
    QHash<quint64, std::shared_ptr<HttpResponder>> m_clients;
    quint64 m_nextId = 1;
    QTimer m_keepAlive;
};

} // namespace Pitwall
