#include "mainwindow.h"

#include "core/config/configloader.h"
#include "core/enginehost.h"
#include "core/log/logring.h"

#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class MainWindowTest final : public QObject
{
    Q_OBJECT

private slots:
    void statusBarFollowsTheDatabase()
    {
        QTemporaryDir dir;
        Pitwall::AppConfig config = Pitwall::ConfigLoader::defaults();
        config.dataDir = dir.path();
        config.bindPort = 0;
        Pitwall::LogRing ring;
        Pitwall::EngineHost host(config, &ring);
        QString error;
        QVERIFY2(host.start(&error), qPrintable(error));

        Pitwall::MainWindow window(host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *label = window.findChild<QLabel *>(u"databaseStatus"_s);
        QVERIFY(label);
        QTRY_COMPARE(label->text(), u"Database (sqlite): ready"_s);
        QVERIFY(window.findChild<QMenu *>(u"viewMenu"_s));
        host.stop();
    }
};

QTEST_MAIN(MainWindowTest)
#include "mainwindow.moc"
