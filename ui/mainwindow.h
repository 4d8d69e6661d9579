#pragma once

#include <QMainWindow>

class QLabel;

namespace Pitwall {

// The console's frame: dock areas for the engine panels and a status bar with the health of
// the database and each engine. Panels are added by their own issues.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    QLabel *m_databaseStatus = nullptr;
};

} // namespace Pitwall
