#pragma once

#include <QList>
#include <QMainWindow>

class QAction;
class QDockWidget;
class QMenu;

namespace Pitwall {

class ConsoleFeed;
class EngineHost;

// The console's frame: dock panels for the engines, a View menu that brings closed panels back,
// the layout saved on close and restored at start, and a status bar with the health of the
// database and each engine. It only ever reads engine state through queued signals or from
// state the engine components already hold.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // Bump when the set or the meaning of the docks changes: a layout saved by another version is
    // then ignored and the default layout used.
    static constexpr int LayoutVersion = 1;

    explicit MainWindow(EngineHost &host, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Puts `panel` in a dock of its own that can be moved, tabbed, floated, closed and reopened
    // from the View menu. The dock's objectName is the panel's objectName() + "Dock", so the
    // panel needs a stable, unique objectName: the saved layout finds docks by it. By default the
    // first panel of an area fills it and the later ones are tabbed behind it. Add panels before
    // the window is first shown; the saved layout is restored then (a panel added later gets its
    // saved place through restoreDockWidget, or its default one).
    QDockWidget *addPanel(QWidget *panel, Qt::DockWidgetArea area, const QString &title);

    void setVisible(bool visible) override;

public slots:
    // Every panel back to its default area and tab group, shown, docked.
    void resetLayout();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct Panel
    {
        QDockWidget *dock;
        Qt::DockWidgetArea area;
    };

    void addShellPanels();
    void placeByDefault(const Panel &panel);
    QDockWidget *firstDockIn(Qt::DockWidgetArea area) const;
    void restoreLayout();
    void saveLayout() const;
    void showSettings();
    void reloadWatchConfig();

    EngineHost &m_host;
    ConsoleFeed *m_feed = nullptr;
    QMenu *m_viewMenu = nullptr;
    QAction *m_panelsEnd = nullptr; // separator: panels' toggle actions go above it
    QAction *m_reloadWatch = nullptr;
    QList<Panel> m_panels;
    bool m_layoutRestored = false;
};

} // namespace Pitwall
