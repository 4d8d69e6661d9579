#pragma once

#include <QHash>
#include <QTimer>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace Pitwall {

class EngineHost;

// The status bar's health indicators: one label per engine component (database, relay, watch,
// vod, ...) saying ready or not ready, with the reason in the tooltip. Refreshed on a timer from
// EngineComponent::readiness(), which answers from state the component holds (no I/O), so the
// GUI thread never waits for an engine.
class HealthBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HealthBar)

public:
    static constexpr int RefreshIntervalMs = 1000;

    explicit HealthBar(const EngineHost &host, QWidget *parent = nullptr);

    void refresh();

private:
    QString title(const QString &component) const;
    QLabel *labelFor(const QString &component);

    const EngineHost &m_host;
    QHBoxLayout *m_layout = nullptr;
    QHash<QString, QLabel *> m_labels;
    QTimer m_timer;
};

} // namespace Pitwall
