#include "mainwindow.h"

#include <QLabel>
#include <QStatusBar>

namespace Pitwall {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Pitwall"));
    m_databaseStatus = new QLabel(tr("Database: starting"), this);
    statusBar()->addPermanentWidget(m_databaseStatus);
}

MainWindow::~MainWindow() = default;

} // namespace Pitwall
