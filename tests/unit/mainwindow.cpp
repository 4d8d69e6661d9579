#include "mainwindow.h"

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
