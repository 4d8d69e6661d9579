#include "shell/healthbar.h"

#include "core/db/database.h"
#include "core/enginehost.h"

#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace Pitwall {

HealthBar::HealthBar(const EngineHost &host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_layout(new QHBoxLayout(this))
{
    setObjectName(u"healthBar"_s);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_timer.setInterval(RefreshIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &HealthBar::refresh);
    m_timer.start();
    refresh();
}

void HealthBar::refresh()
{
    // Components are asked each time: an engine that joins later gets its label then.
    for (const auto &component : m_host.components()) {
        const EngineComponent::Readiness readiness = component->readiness();
        QLabel *label = labelFor(component->name());
        const QString name = title(component->name());
        label->setText(readiness.ready ? tr("%1: ready").arg(name) : tr("%1: not ready").arg(name));
        label->setToolTip(readiness.ready ? QString() : readiness.reason);
    }
}

QString HealthBar::title(const QString &component) const
{
    if (component == u"database")
        return tr("Database (%1)").arg(m_host.database().dialect().name());
    if (component == u"relay")
        return tr("Relay");
    if (component == u"watch")
        return tr("Watch");
    if (component == u"vod")
        return tr("VOD queue");
    if (component == u"circuit_breaker")
        return tr("Circuit breaker");
    return component;
}

QLabel *HealthBar::labelFor(const QString &component)
{
    QLabel *&label = m_labels[component];
    if (!label) {
        label = new QLabel(this);
        label->setObjectName(component + u"Status"_s);
        m_layout->addWidget(label);
    }
    return label;
}

} // namespace Pitwall
