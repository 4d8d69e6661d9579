// The desktop console as a process: it opens its window, runs the same engine as the daemon
// (the API answers), and stops cleanly on SIGTERM.
#include "daemonprocess.h"
#include "httpclient.h"

#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class DesktopTest final : public QObject
{
    Q_OBJECT

private slots:
    void runsEngineBehindTheWindow()
    {
        DaemonProcess desktop;
        desktop.setDesktop(true);
        QVERIFY2(desktop.start(), desktop.output().constData());
        QVERIFY(desktop.output().contains("starting (desktop)"));
        QCOMPARE(HttpClient::get(desktop.url(u"/healthz"_s)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient::get(desktop.url(u"/readyz"_s)).status, 200, 20000);
        QCOMPARE(desktop.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(DesktopTest)
#include "desktop.moc"
