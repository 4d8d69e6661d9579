#include "relay/peernotifier.h"

#include "core/db/database.h"
#include "core/log/logcategories.h"
#include "relay/streamhub.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Pitwall {

PeerNotifier::PeerNotifier(const Database &database, StreamHub &hub, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_hub(hub)
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_enabled(database.dialect().isPostgres())
{
    m_check.setParent(this);
    m_check.setInterval(std::chrono::seconds(3));
    connect(&m_check, &QTimer::timeout, this, &PeerNotifier::ensureListening);
}

void PeerNotifier::start()
{
    if (!m_enabled)
        return;
    ensureListening();
    m_check.start();
}

void PeerNotifier::ensureListening()
{
    QString error;
    if (m_listening && m_database.ping(&error))
        return;
    QSqlDatabase db = m_database.connection(&error);
    if (!db.isOpen()) {
        m_listening = false;
        return;
    }
    QSqlDriver *driver = db.driver();
    if (!driver->subscribedToNotifications().contains(QLatin1String(channel))) {
        connect(driver, &QSqlDriver::notification, this, &PeerNotifier::received,
                Qt::UniqueConnection);
        if (!driver->subscribeToNotification(QLatin1String(channel))) {
            qCWarning(lcRelay).noquote() << "cannot LISTEN for other instances:"
                                         << driver->lastError().text();
            return;
        }
    }
    const bool resumed = std::exchange(m_listening, true) == false;
    qCInfo(lcRelay) << "listening for events of other instances on" << channel;
    // Whatever other instances stored while we were not listening: receivers read it now.
    if (resumed) {
        for (const QString &streamId : m_hub.followedStreams())
            m_hub.publishEvents(streamId, nullptr);
    }
}

void PeerNotifier::received(const QString &name, QSqlDriver::NotificationSource,
                            const QVariant &payload)
{
    if (name != QLatin1String(channel))
        return;
    const QStringList parts = payload.toString().split(u' ');
    if (parts.size() != 2 || parts.first() == m_instanceId)
        return;
    m_hub.publishEvents(parts.last(), nullptr);
}

std::optional<EventStore::Notification> PeerNotifier::announcement(const QString &streamId) const
{
    if (!m_enabled)
        return std::nullopt;
    return EventStore::Notification{QString::fromLatin1(channel), m_instanceId + u' ' + streamId};
}

} // namespace Pitwall
