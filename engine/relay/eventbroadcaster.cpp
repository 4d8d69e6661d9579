#include "relay/eventbroadcaster.h"

#include "core/http/httpresponder.h"
#include "relay/relaymetrics.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Pitwall {

EventBroadcaster::EventBroadcaster(RelayMetrics &metrics, QObject *parent)
    : QObject(parent), m_metrics(metrics)
{
    m_keepAlive.setParent(this);
    m_keepAlive.setInterval(std::chrono::seconds(15));
    connect(&m_keepAlive, &QTimer::timeout, this, [this] { write(": keepalive\n\n"); });
}

EventBroadcaster::~EventBroadcaster()
{
    closeAll();
}

void EventBroadcaster::addClient(std::shared_ptr<HttpResponder> responder)
{
    const quint64 id = m_nextId++;
    // Called on the HTTP thread when the client goes away.
    responder->onDisconnected([this, id] {
        QMetaObject::invokeMethod(this, [this, id] { removeClient(id); });
    });
    responder->write(": connected\n\n");
    m_clients.insert(id, std::move(responder));
    m_metrics.sseClients.set(double(m_clients.size()));
    if (!m_keepAlive.isActive())
        m_keepAlive.start();
}

void EventBroadcaster::publish(const QJsonObject &event)
{
    emit published(event);
    if (m_clients.isEmpty())
        return;
    write("event: " + event.value(u"type"_s).toString().toUtf8() + "\ndata: "
          + QJsonDocument(event).toJson(QJsonDocument::Compact) + "\n\n");
}

void EventBroadcaster::write(const QByteArray &chunk)
{
    for (const auto &client : std::as_const(m_clients))
        client->write(chunk);
}

void EventBroadcaster::removeClient(quint64 id)
{
    m_clients.remove(id);
    m_metrics.sseClients.set(double(m_clients.size()));
    if (m_clients.isEmpty())
        m_keepAlive.stop();
}

void EventBroadcaster::closeAll()
{
    for (const auto &client : std::as_const(m_clients))
        client->finish();
    m_clients.clear();
    m_keepAlive.stop();
}

} // namespace Pitwall
