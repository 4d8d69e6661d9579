#pragma once

#include "core/enginecomponent.h"

namespace Pitwall {

class Database;
class DatabaseSupervisor;

// The database as /readyz and /status see it: the supervisor's last known state, never a live
// query, so a hung PostgreSQL cannot hang the health endpoints.
class DatabaseComponent final : public EngineComponent
{
public:
    DatabaseComponent(const DatabaseSupervisor &supervisor, const Database &database);

    QString name() const override;
    Readiness readiness() const override;
    QJsonObject status() const override;

private:
    const DatabaseSupervisor &m_supervisor;
    const Database &m_database;
};

} // namespace Pitwall
