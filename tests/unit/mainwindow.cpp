#include "mainwindow.h"

#include "consolesettings.h"
#include "core/config/configloader.h"
#include "core/enginehost.h"
#include "core/log/logring.h"
#include "core/log/logsink.h"
#include "watch/watchconfig.h"
#include "watch/watchengine.h"

#include <QAction>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

class MainWindowTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Pitwall::LogRing m_ring;

    std::unique_ptr<Pitwall::EngineHost> startHost()
    {
        Pitwall::AppConfig config = Pitwall::ConfigLoader::defaults();
        config.dataDir = m_dir.path();
        config.bindPort = 0;
        auto host = std::make_unique<Pitwall::EngineHost>(config, &m_ring);
        QString error;
        if (!host->start(&error))
            qFatal("cannot start the engine host: %s", qPrintable(error));
        return host;
    }

    // A watch engine on an empty fake /proc and a fake cgroup root: it governs nothing real.
    void addWatchEngine(Pitwall::EngineHost &host)
    {
        for (const char *dir : {"proc", "cgroup"})
            QVERIFY(QDir(m_dir.path()).mkpath(QString::fromLatin1(dir)));
        const QString file = m_dir.filePath(u"watch-config.yaml"_s);
        QFile yaml(file);
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write(u"proc_root: %1/proc\ncgroup_root: %1/cgroup\n"_s.arg(m_dir.path()).toUtf8());
        yaml.close();
        QString error;
        const auto config = Pitwall::WatchConfig::load(file, {}, m_dir.path(), &error);
        QVERIFY2(config, qPrintable(error));
        host.addEngine(std::make_unique<Pitwall::WatchEngine>(*config, file, QProcessEnvironment(),
                                                              m_dir.path(), host.metrics()));
    }

    static QDockWidget *dock(const Pitwall::MainWindow &window, const QString &panel)
    {
        return window.findChild<QDockWidget *>(panel + u"Dock"_s);
    }

    static QAction *viewAction(const Pitwall::MainWindow &window, const QString &text)
    {
        const QList<QAction *> actions = window.findChild<QMenu *>(u"viewMenu"_s)->actions();
        const auto it = std::find_if(actions.cbegin(), actions.cend(),
                                     [&](const QAction *action) { return action->text() == text; });
        return it == actions.cend() ? nullptr : *it;
    }

    // Charts moved to the left, the governed processes closed: not the default layout.
    static void rearrange(Pitwall::MainWindow &window)
    {
        window.addDockWidget(Qt::LeftDockWidgetArea, dock(window, u"chartsPanel"_s));
        dock(window, u"governedProcessesPanel"_s)->close();
    }

    static void verifyDefaultLayout(const Pitwall::MainWindow &window)
    {
        QDockWidget *charts = dock(window, u"chartsPanel"_s);
        QDockWidget *logs = dock(window, u"logsPanel"_s);
        QDockWidget *processes = dock(window, u"governedProcessesPanel"_s);
        QVERIFY(charts && logs && processes);
        QCOMPARE(window.dockWidgetArea(charts), Qt::RightDockWidgetArea);
        QCOMPARE(window.dockWidgetArea(logs), Qt::BottomDockWidgetArea);
        QVERIFY(window.tabifiedDockWidgets(logs).contains(processes));
        QVERIFY(!processes->isHidden());
        QVERIFY(!charts->isFloating());
    }

    bool ringContains(const QString &text) const
    {
        const QList<Pitwall::LogEntry> entries = m_ring.entriesSince(0, m_ring.capacity());
        return std::any_of(entries.cbegin(), entries.cend(), [&](const Pitwall::LogEntry &entry) {
            return entry.message.contains(text);
        });
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The Settings dialog reads QSettings: never the user's real ones.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        Pitwall::LogSink::install({Pitwall::LogLevel::Info, Pitwall::LogFormat::Text, &m_ring});
    }

    void cleanupTestCase() { Pitwall::LogSink::uninstall(); }

    // Every test starts as a first start: no saved layout.
    void init() { QSettings(u"pitwall"_s, u"pitwall"_s).clear(); }

    void firstStartHasTheDefaultLayout()
    {
        const auto host = startHost();
        Pitwall::MainWindow window(*host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        verifyDefaultLayout(window);
        for (const QString &title : {u"Logs"_s, u"Governed processes"_s, u"Charts"_s}) {
            QAction *action = viewAction(window, title);
            QVERIFY2(action && action->isCheckable() && action->isChecked(), qPrintable(title));
        }
        host->stop();
    }

    void layoutSurvivesARestart()
    {
        const auto host = startHost();
        QSize size;
        {
            Pitwall::MainWindow window(*host);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            rearrange(window);
            window.resize(window.width() - 40, window.height() - 30);
            size = window.size();
            window.close();
        }
        Pitwall::MainWindow window(*host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.dockWidgetArea(dock(window, u"chartsPanel"_s)), Qt::LeftDockWidgetArea);
        QVERIFY(dock(window, u"governedProcessesPanel"_s)->isHidden());
        QVERIFY(!viewAction(window, u"Governed processes"_s)->isChecked());
        QVERIFY(!dock(window, u"logsPanel"_s)->isHidden());
        // The size only: the offscreen platform places frames its own way.
        QCOMPARE(window.size(), size);
        host->stop();
    }

    void layoutOfAnotherVersionIsIgnored_data()
    {
        QTest::addColumn<bool>("garbage");
        QTest::newRow("other version") << false;
        QTest::newRow("not a state") << true;
    }

    void layoutOfAnotherVersionIsIgnored()
    {
        QFETCH(bool, garbage);
        const auto host = startHost();
        QByteArray stored;
        {
            Pitwall::MainWindow window(*host);
            window.show();
            rearrange(window);
            stored = garbage ? QByteArray("not a saved state")
                             : window.saveState(Pitwall::MainWindow::LayoutVersion + 1);
        }
        // After the window is gone: closing it saved its own version of the layout.
        Pitwall::ConsoleSettings settings;
        settings.setWindowLayout(settings.windowGeometry(), stored);
        Pitwall::MainWindow window(*host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        verifyDefaultLayout(window);
        QVERIFY(ringContains(u"saved panel layout is from another version"_s));
        host->stop();
    }

    void viewMenuReopensAClosedPanel()
    {
        const auto host = startHost();
        Pitwall::MainWindow window(*host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QDockWidget *charts = dock(window, u"chartsPanel"_s);
        charts->close();
        QVERIFY(charts->isHidden());
        QAction *action = viewAction(window, u"Charts"_s);
        QVERIFY(action);
        QVERIFY(!action->isChecked());
        action->trigger();
        QVERIFY(!charts->isHidden());
        QCOMPARE(window.dockWidgetArea(charts), Qt::RightDockWidgetArea);
        host->stop();
    }

    void resetLayoutRestoresTheDefault()
    {
        const auto host = startHost();
        Pitwall::MainWindow window(*host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        rearrange(window);
        dock(window, u"logsPanel"_s)->setFloating(true);
        window.findChild<QAction *>(u"resetLayoutAction"_s)->trigger();
        verifyDefaultLayout(window);
        QVERIFY(!dock(window, u"logsPanel"_s)->isFloating());
        host->stop();
    }

    void panelsFromOtherPartsJoinTheLayout()
    {
        const auto host = startHost();
        {
            Pitwall::MainWindow window(*host);
            auto *panel = new QLabel(u"streams"_s);
            panel->setObjectName(u"testPanel"_s);
            QDockWidget *added = window.addPanel(panel, Qt::LeftDockWidgetArea, u"Test panel"_s);
            QCOMPARE(added->objectName(), u"testPanelDock"_s);
            QCOMPARE(added->widget(), panel);
            QVERIFY(viewAction(window, u"Test panel"_s));
            window.show();
            QCOMPARE(window.dockWidgetArea(added), Qt::LeftDockWidgetArea);
            window.addDockWidget(Qt::TopDockWidgetArea, added);
            window.close();
        }
        Pitwall::MainWindow window(*host);
        window.show();
        // Added after the first show: restoreDockWidget puts it where it was.
        auto *panel = new QLabel(u"streams"_s);
        panel->setObjectName(u"testPanel"_s);
        QDockWidget *late = window.addPanel(panel, Qt::LeftDockWidgetArea, u"Test panel"_s);
        QCOMPARE(window.dockWidgetArea(late), Qt::TopDockWidgetArea);
        host->stop();
    }

    void statusBarFollowsTheDatabase()
    {
        const auto host = startHost();
        Pitwall::MainWindow window(*host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *label = window.findChild<QLabel *>(u"databaseStatus"_s);
        QVERIFY(label);
        QTRY_COMPARE(label->text(), u"Database (sqlite): ready"_s);
        QVERIFY(window.findChild<QMenu *>(u"viewMenu"_s));
        host->stop();
    }

    void settingsActionOpensTheDialog()
    {
        const auto host = startHost();
        Pitwall::MainWindow window(*host);
        window.show();
        auto *action = window.findChild<QAction *>(u"settingsAction"_s);
        QVERIFY(action);
        action->trigger();
        auto *dialog = window.findChild<QDialog *>(u"SettingsDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->reject();
        host->stop();
    }

    void reloadNeedsAWatchEngine()
    {
        const auto host = startHost();
        Pitwall::MainWindow window(*host);
        auto *reload = window.findChild<QAction *>(u"reloadWatchAction"_s);
        QVERIFY(reload);
        QVERIFY(!reload->isEnabled());
        host->stop();
    }

    void reloadActionReloadsTheWatchEngine()
    {
        const auto host = startHost();
        addWatchEngine(*host);
        QTRY_VERIFY(ringContains(u"Performing initial scan"_s));
        Pitwall::MainWindow window(*host);
        window.show();
        auto *reload = window.findChild<QAction *>(u"reloadWatchAction"_s);
        QVERIFY(reload);
        QVERIFY(reload->isEnabled());
        QVERIFY(!ringContains(u"configuration reloaded from"_s));
        reload->trigger();
        QVERIFY(!window.statusBar()->currentMessage().isEmpty());
        QTRY_VERIFY(ringContains(u"configuration reloaded from"_s));
        host->stop();
    }
};

QTEST_MAIN(MainWindowTest)
#include "mainwindow.moc"
