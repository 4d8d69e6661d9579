#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

class QWidget;

namespace Pitwall {

// Reloads a panel's data the engine sends no events for (tokens, cursors): when the panel is
// shown and then every `interval` while it stays visible; a closed or tabbed-away dock's panel
// costs no queries.
class PanelRefresher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PanelRefresher)

public:
    PanelRefresher(QWidget *panel, std::chrono::milliseconds interval,
                   std::function<void()> reload);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::function<void()> m_reload;
    QTimer m_timer;
};

} // namespace Pitwall
