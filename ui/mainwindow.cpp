#include "mainwindow.h"

#include "consolesettings.h"
#include "core/enginehost.h"
#include "core/log/logcategories.h"
#include "settingsdialog.h"
#include "shell/chartspanel.h"
#include "shell/consolefeed.h"
#include "shell/governedprocessespanel.h"
#include "shell/healthbar.h"
#include "shell/logspanel.h"
#include "shell/screenshot.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QScreen>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr int StatusMessageTimeoutMs = 5000;
// Large enough for every panel at once, small enough to leave room on a big screen.
constexpr QSize LargestDefaultSize(1600, 1000);
// Default share of the window for the bottom and the right dock areas.
constexpr double BottomShare = 0.3;
constexpr double RightShare = 0.4;

} // namespace

MainWindow::MainWindow(EngineHost &host, QWidget *parent)
    : QMainWindow(parent)
    , m_host(host)
    , m_feed(new ConsoleFeed(host, ConsoleFeed::DefaultIntervalMs, this))
{
    setObjectName(u"MainWindow"_s);
    setWindowTitle(tr("Pitwall"));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks | GroupedDragging);
    resize(screen()->availableSize().boundedTo(LargestDefaultSize));

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Settings…"), this, &MainWindow::showSettings)
        ->setObjectName(u"settingsAction"_s);
    m_reloadWatch = fileMenu->addAction(tr("&Reload watch configuration"), this,
                                        &MainWindow::reloadWatchConfig);
    m_reloadWatch->setObjectName(u"reloadWatchAction"_s);
    // The engines are all added before the window exists and none is added later.
    m_reloadWatch->setEnabled(host.hasEngine(u"watch"_s));
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->setObjectName(u"viewMenu"_s);
    m_panelsEnd = m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout)
        ->setObjectName(u"resetLayoutAction"_s);

    statusBar()->addPermanentWidget(new QLabel(
        tr("API on %1:%2").arg(host.config().bindAddress.toString()).arg(host.httpPort()), this));
    statusBar()->addPermanentWidget(new HealthBar(host, this));

    addShellPanels();
    scheduleScreenshot(*this);
}

MainWindow::~MainWindow()
{
    // Quitting from the menu or on SIGTERM closes no window: the layout is kept here as well.
    saveLayout();
}

void MainWindow::addShellPanels()
{
    if (const LogRing *ring = m_host.logRing())
        addPanel(new LogsPanel(*ring, this), Qt::BottomDockWidgetArea, tr("Logs"));
    auto *processes = new GovernedProcessesPanel(HelperClient::defaultLauncher(), this);
    connect(m_feed, &ConsoleFeed::sampled, processes, &GovernedProcessesPanel::showSample);
    addPanel(processes, Qt::BottomDockWidgetArea, tr("Governed processes"));
    auto *charts = new ChartsPanel(this);
    connect(m_feed, &ConsoleFeed::sampled, charts, &ChartsPanel::addSample);
    addPanel(charts, Qt::RightDockWidgetArea, tr("Charts"));
}

QDockWidget *MainWindow::addPanel(QWidget *panel, Qt::DockWidgetArea area, const QString &title)
{
    Q_ASSERT_X(!panel->objectName().isEmpty(), "MainWindow::addPanel",
               "a panel needs an objectName: the saved layout finds its dock by it");
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(panel->objectName() + u"Dock"_s);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                      | QDockWidget::DockWidgetFloatable);
    dock->setWidget(panel);
    m_viewMenu->insertAction(m_panelsEnd, dock->toggleViewAction());
    m_panels.append({dock, area});
    // Late (after the first show): the restored layout may still know where this panel was.
    if (!m_layoutRestored || !restoreDockWidget(dock))
        placeByDefault(m_panels.constLast());
    return dock;
}

void MainWindow::placeByDefault(const Panel &panel)
{
    panel.dock->setFloating(false);
    addDockWidget(panel.area, panel.dock);
    panel.dock->show();
    // A crowded area: tabbed behind the area's first panel, which stays in front.
    QDockWidget *first = firstDockIn(panel.area);
    if (first != panel.dock) {
        tabifyDockWidget(first, panel.dock);
        first->raise();
    }
}

void MainWindow::resetLayout()
{
    for (const Panel &panel : std::as_const(m_panels))
        placeByDefault(panel);
    if (QDockWidget *bottom = firstDockIn(Qt::BottomDockWidgetArea))
        resizeDocks({bottom}, {int(height() * BottomShare)}, Qt::Vertical);
    if (QDockWidget *right = firstDockIn(Qt::RightDockWidgetArea))
        resizeDocks({right}, {int(width() * RightShare)}, Qt::Horizontal);
}

QDockWidget *MainWindow::firstDockIn(Qt::DockWidgetArea area) const
{
    for (const Panel &panel : m_panels) {
        if (panel.area == area)
            return panel.dock;
    }
    return nullptr;
}

void MainWindow::setVisible(bool visible)
{
    // Before the first show, with every panel added: no flicker, and no dock missing its place.
    if (visible && !m_layoutRestored)
        restoreLayout();
    QMainWindow::setVisible(visible);
}

void MainWindow::restoreLayout()
{
    m_layoutRestored = true;
    const ConsoleSettings settings;
    const QByteArray geometry = settings.windowGeometry();
    if (!geometry.isEmpty() && !restoreGeometry(geometry))
        qCInfo(lcUi) << "the saved window geometry is unusable, using the default";
    resetLayout();
    const QByteArray state = settings.windowState();
    // restoreState refuses a state saved with another LayoutVersion and leaves the docks alone.
    if (!state.isEmpty() && !restoreState(state, LayoutVersion))
        qCInfo(lcUi) << "the saved panel layout is from another version or unreadable, using the default";
}

void MainWindow::saveLayout() const
{
    if (m_layoutRestored)
        ConsoleSettings().setWindowLayout(saveGeometry(), saveState(LayoutVersion));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
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
