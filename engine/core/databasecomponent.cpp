#include "core/databasecomponent.h"

#include "core/db/database.h"
#include "core/db/databasesupervisor.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

DatabaseComponent::DatabaseComponent(const DatabaseSupervisor &supervisor,
                                     const Database &database)
    : m_supervisor(supervisor)
    , m_database(database)
{
}

QString DatabaseComponent::name() const
{
    return u"database"_s;
}

EngineComponent::Readiness DatabaseComponent::readiness() const
{
    const DatabaseStatus status = m_supervisor.status();
    return {status.ready, status.reason};
}

QJsonObject DatabaseComponent::status() const
{
    const DatabaseStatus status = m_supervisor.status();
    QJsonObject body{
        {u"dialect"_s, m_database.dialect().name()},
        {u"url"_s, m_database.settings().redacted()},
        {u"state"_s, DatabaseStatus::stateName(status.state)},
        {u"ready"_s, status.ready},
        {u"since"_s, status.since.toString(Qt::ISODateWithMs)},
    };
    if (!status.reason.isEmpty())
        body.insert(u"reason"_s, status.reason);
    return body;
}

} // namespace Pitwall
