// The desktop console as a process: it opens its window, runs the same engine as the daemon
// (the API answers), and stops cleanly on SIGTERM. Its settings may switch the watch scanner on.
#include "daemonprocess.h"
#include "httpclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMultiHash>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class DesktopTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static void writeFile(const QString &path, const QByteArray &content)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
    }

    // A console whose QSettings live in a fresh XDG_CONFIG_HOME, never the user's own. With a
    // watch config, its settings enable the scanner on a fake /proc and cgroup root.
    void startConsole(DaemonProcess &desktop, const QByteArray &watchYaml = {})
    {
        static int counter = 0;
        const QString configHome = m_dir.filePath(u"config-%1"_s.arg(++counter));
        QVERIFY(QDir().mkpath(configHome));
        if (!watchYaml.isEmpty()) {
            const QString yaml = configHome + u"/watch-config.yaml"_s;
            writeFile(yaml, watchYaml);
            writeFile(configHome + u"/pitwall/pitwall.conf"_s,
                      "[watch]\nenabled=true\nconfig_file=" + yaml.toUtf8() + "\n");
        }
        desktop.setDesktop(true);
        desktop.setEnv(u"XDG_CONFIG_HOME"_s, configHome);
        QVERIFY2(desktop.start(), desktop.output().constData());
    }

    // Thread name (comm) -> nice value, for every thread of process `pid`.
    static QMultiHash<QByteArray, int> threadNices(qint64 pid)
    {
        QMultiHash<QByteArray, int> nices;
        const QString tasks = u"/proc/%1/task"_s.arg(pid);
        for (const QString &tid : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile stat(tasks + u'/' + tid + u"/stat"_s);
            if (!stat.open(QIODevice::ReadOnly))
                continue; // the thread ended meanwhile
            const QByteArray line = stat.readAll();
            const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
            // After the name: state is field 3, nice field 19.
            const QList<QByteArray> fields = line.mid(close + 2).split(' ');
            nices.insert(line.mid(open + 1, close - open - 1), fields.value(16).toInt());
        }
        return nices;
    }

    QByteArray fakeRoots() const
    {
        for (const char *dir : {"proc", "cgroup"})
            QDir(m_dir.path()).mkpath(QString::fromLatin1(dir));
        return u"proc_root: %1/proc\ncgroup_root: %1/cgroup\n"_s.arg(m_dir.path()).toUtf8();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void runsEngineBehindTheWindow()
    {
        DaemonProcess desktop;
        startConsole(desktop);
        QVERIFY(desktop.output().contains("starting (desktop)"));
        QVERIFY(!desktop.output().contains("watch config"));
        QCOMPARE(HttpClient::get(desktop.url(u"/healthz"_s)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::get(desktop.url(u"/readyz"_s)).status, 200, 20000);

        // The engines' threads yield to the GUI thread; the GUI thread keeps nice 0.
        const QMultiHash<QByteArray, int> nices = threadNices(desktop.pid());
        for (const QByteArray name : {"db", "http", "relay", "vod"}) {
            QVERIFY2(nices.contains(name), name.constData());
            for (const int nice : nices.values(name))
                QCOMPARE(nice, 10);
        }
        QCOMPARE(nices.value("pitwall", -1), 0);
        QCOMPARE(desktop.stop(SIGTERM), 0);
    }

    // Headless there is no GUI to yield to: every thread keeps the priority it was started with.
    void daemonThreadsKeepTheirPriority()
    {
        DaemonProcess daemon;
        QVERIFY2(daemon.start(), daemon.output().constData());
        const QMultiHash<QByteArray, int> nices = threadNices(daemon.pid());
        QVERIFY(nices.contains("relay"));
        for (const int nice : nices.values())
            QCOMPARE(nice, 0);
        QCOMPARE(daemon.stop(SIGTERM), 0);
    }

    void settingsEnableTheWatchScanner()
    {
        DaemonProcess desktop;
        startConsole(desktop, fakeRoots());
        QVERIFY2(desktop.output().contains("watch config from the console settings"),
                 desktop.output().constData());
        QVERIFY(desktop.waitForOutput("Performing initial scan"));
        QCOMPARE(desktop.stop(SIGTERM), 0);
    }

    // A file that broke since it was chosen costs the scanner, not the console.
    void brokenSettingsFileLeavesTheScannerOff()
    {
        DaemonProcess desktop;
        startConsole(desktop, "scan_intervall: 5s\n");
        QVERIFY2(desktop.output().contains("watch scanner off"), desktop.output().constData());
        QVERIFY(desktop.output().contains("scan_intervall: unknown key"));
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::get(desktop.url(u"/readyz"_s)).status, 200, 20000);
        QVERIFY(!desktop.output().contains("Performing initial scan"));
        QCOMPARE(desktop.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(DesktopTest)
#include "desktop.moc"
