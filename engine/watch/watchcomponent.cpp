#include "watch/watchcomponent.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Pitwall {

void WatchComponent::publish(WatchSnapshot snapshot)
{
    QMutexLocker lock(&m_mutex);
    m_snapshot = std::move(snapshot);
}

WatchSnapshot WatchComponent::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return m_snapshot;
}

QString WatchComponent::name() const
{
    return u"watch"_s;
}

EngineComponent::Readiness WatchComponent::readiness() const
{
    const WatchSnapshot current = snapshot();
    if (!current.started)
        return {false, u"watch scanner starting"_s};
    const Health &health = current.state.health;
    if (health.status == Health::Status::Unhealthy)
        return {false, u"watch scanner unhealthy: %1"_s.arg(health.reason)};
    return {true, QString()};
}

QJsonObject WatchComponent::status() const
{
    const WatchSnapshot current = snapshot();
    // The same document as watch-state.json, so operators read one format everywhere.
    QJsonObject body = QJsonDocument::fromJson(StateFile::serialize(current.state)).object();
    body.insert(u"discovery"_s, current.discovery);
    body.insert(u"cgroup_layout"_s, current.cgroupLayout);
    body.insert(u"cgroup_base"_s, current.cgroupBase);
    body.insert(u"state_path"_s, current.statePath);
    body.insert(u"tracked"_s, current.state.processes.size());
    return body;
}

} // namespace Pitwall
