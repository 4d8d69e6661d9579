#include "mainwindow.h"

#include "core/db/database.h"
#include "core/db/databasesupervisor.h"
#include "core/enginehost.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>

namespace Pitwall {

namespace {

constexpr int StatusMessageTimeoutMs = 5000;

} // namespace

MainWindow::MainWindow(EngineHost &host, QWidget *parent)
    : QMainWindow(parent)
    , m_host(host)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Pitwall"));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks | GroupedDragging);
    resize(1280, 720);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Settings…"), this, &MainWindow::showSettings)
        ->setObjectName(QStringLiteral("settingsAction"));
    m_reloadWatch = fileMenu->addAction(tr("&Reload watch configuration"), this,
                                        &MainWindow::reloadWatchConfig);
    m_reloadWatch->setObjectName(QStringLiteral("reloadWatchAction"));
    // The engines are all added before the window exists and none is added later.
    m_reloadWatch->setEnabled(host.hasEngine(QStringLiteral("watch")));
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    menuBar()->addMenu(tr("&View"))->setObjectName(QStringLiteral("viewMenu"));

    m_databaseStatus = new QLabel(this);
    m_databaseStatus->setObjectName(QStringLiteral("databaseStatus"));
    m_endpoint = new QLabel(tr("API on %1:%2").arg(host.config().bindAddress.toString())
                                .arg(host.httpPort()), this);
    statusBar()->addPermanentWidget(m_endpoint);
    statusBar()->addPermanentWidget(m_databaseStatus);

    if (DatabaseSupervisor *supervisor = host.databaseSupervisor()) {
        connect(supervisor, &DatabaseSupervisor::statusChanged, this,
                &MainWindow::showDatabaseStatus);
        showDatabaseStatus(supervisor->status());
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::showDatabaseStatus(const DatabaseStatus &status)
{
    const QString dialect = m_host.database().dialect().name();
    if (status.ready) {
        m_databaseStatus->setText(tr("Database (%1): ready").arg(dialect));
        m_databaseStatus->setToolTip(QString());
    } else {
        m_databaseStatus->setText(tr("Database (%1): not ready").arg(dialect));
        m_databaseStatus->setToolTip(status.reason);
    }
}

void MainWindow::showSettings()
{
    auto *dialog = new SettingsDialog(m_host.config().dataDir, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::reloadWatchConfig()
{
    m_host.reloadEngines();
    // The engine reloads in its own thread and may refuse the file (keeping the old one); the
    // log says which, so the message claims no more than the request.
    statusBar()->showMessage(tr("Watch configuration reload requested; the log shows the result"),
                             StatusMessageTimeoutMs);
}

} // namespace Pitwall
