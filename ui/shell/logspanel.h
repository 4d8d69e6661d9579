#pragma once

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;

namespace Pitwall {

class LogFilterModel;
class LogModel;
class LogRing;

// The Logs panel: the engine's recent log entries, filtered by level and component, searched,
// and followed (kept scrolled to the newest) unless the operator turns that off.
class LogsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsPanel)

public:
    static constexpr int PollIntervalMs = 250;

    explicit LogsPanel(const LogRing &ring, QWidget *parent = nullptr);
    ~LogsPanel() override;

private:
    void addComponent(const QString &component);
    void applyLevel();
    void followIfOn();

    LogModel *m_model = nullptr;
    LogFilterModel *m_filter = nullptr;
    QComboBox *m_level = nullptr;
    QComboBox *m_component = nullptr;
    QLineEdit *m_search = nullptr;
    QCheckBox *m_follow = nullptr;
    QTableView *m_view = nullptr;
    QTimer m_pollTimer;
};

} // namespace Pitwall
