#include "panelrefresher.h"

#include <QEvent>
#include <QWidget>

namespace Pitwall {

PanelRefresher::PanelRefresher(QWidget *panel, std::chrono::milliseconds interval,
                               std::function<void()> reload)
    : QObject(panel), m_reload(std::move(reload))
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_reload(); });
    panel->installEventFilter(this);
}

bool PanelRefresher::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Show) {
        m_reload();
        m_timer.start();
    } else if (event->type() == QEvent::Hide) {
        m_timer.stop();
    }
    return QObject::eventFilter(watched, event);
}

} // namespace Pitwall
