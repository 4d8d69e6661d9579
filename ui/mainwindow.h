#pragma once

#include <QMainWindow>

class QAction;
class QLabel;

namespace Pitwall {

class EngineHost;
struct DatabaseStatus;

// The console's frame: dock areas for the engine panels (added by their own issues), a View
// menu to bring closed panels back, and a status bar with the health of the database and each
// engine. It only ever reads engine state through queued signals.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(EngineHost &host, QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    void showDatabaseStatus(const Pitwall::DatabaseStatus &status);
    void showSettings();
    void reloadWatchConfig();

    EngineHost &m_host;
    QLabel *m_databaseStatus = nullptr;
    QLabel *m_endpoint = nullptr;
    QAction *m_reloadWatch = nullptr;
};

} // namespace Pitwall
