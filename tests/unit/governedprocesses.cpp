// The Governed processes panel: incremental rows from watch snapshots, and apply/clear limits
// through a helper launcher, with pkexec's refusals explained. The launchers are small shell
// stand-ins for pkexec + pitwall-helper (the real pair needs polkit and root; it is covered by
// tests/integration/watchhelper.cpp and helper.cpp).
#include "shell/consolesample.h"
#include "shell/governedprocessespanel.h"
#include "shell/governedprocessmodel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

TrackedProcess process(int pid, const QString &command)
{
    TrackedProcess p;
    p.pid = pid;
    p.startTimeTicks = 1000 + quint64(pid);
    p.command = command;
    p.jobId = u"auto-%1-%2"_s.arg(command).arg(pid);
    p.attachedAt = QDateTime::currentDateTimeUtc();
    p.cgroupPaths = {u"/sys/fs/cgroup/pitwall/"_s + p.jobId};
    p.limitsApplied.cpuQuotaPercent = 200;
    p.limitsApplied.memoryLimitMb = 4096;
    return p;
}

ConsoleSample sampleOf(const QList<TrackedProcess> &processes)
{
    ConsoleSample sample;
    sample.at = QDateTime::currentDateTimeUtc();
    sample.watchRunning = true;
    sample.processes = processes;
    for (const TrackedProcess &p : processes)
        sample.usage.insert(p.key(), {12.5, 64 * 1024 * 1024});
    return sample;
}

QStringList launcher(const QString &script)
{
    return {u"sh"_s, u"-c"_s, u"cat >/dev/null; "_s + script};
}

} // namespace

class GovernedProcessesTest final : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowTheSnapshots()
    {
        GovernedProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        const TrackedProcess a = process(100, u"ffmpeg"_s);
        const TrackedProcess b = process(200, u"gst-launch-1.0"_s);
        ConsoleSample first = sampleOf({a, b});
        model.update(first.processes, first.usage);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.index(0, GovernedProcessModel::PidColumn).data().toInt(), 100);
        QCOMPARE(model.index(0, GovernedProcessModel::JobColumn).data().toString(),
                 u"auto-ffmpeg-100"_s);
        QCOMPARE(model.index(0, GovernedProcessModel::LimitsColumn).data().toString(),
                 u"CPU 200 %, memory 4096 MB"_s);
        QCOMPARE(model.index(0, GovernedProcessModel::CpuColumn).data().toString(), u"12.5 %"_s);
        QVERIFY(!model.index(0, GovernedProcessModel::MemoryColumn).data().toString().isEmpty());

        // The same snapshot again changes nothing.
        model.update(first.processes, first.usage);
        QCOMPARE(changed.size(), 0);

        // b exits, c appears, a's CPU changes.
        const TrackedProcess c = process(300, u"ffmpeg"_s);
        ConsoleSample second = sampleOf({a, c});
        second.usage[a.key()].cpuPercent = 80.0;
        model.update(second.processes, second.usage);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, GovernedProcessModel::CpuColumn).data().toString(), u"80.0 %"_s);
        QCOMPARE(model.index(1, GovernedProcessModel::PidColumn).data().toInt(), 300);

        // A pid reused by another process is another row.
        TrackedProcess reused = a;
        reused.startTimeTicks += 1;
        model.update({reused, c}, {});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(removed.size(), 2);
        QCOMPARE(reset.size(), 0);
    }

    void unattachedProcessesSaySo()
    {
        GovernedProcessModel model;
        TrackedProcess p = process(5, u"ffmpeg"_s);
        p.attachedAt = {};
        p.limitsApplied = {};
        model.update({p}, {});
        QCOMPARE(model.index(0, GovernedProcessModel::CgroupColumn).data().toString(),
                 u"not attached"_s);
        QCOMPARE(model.index(0, GovernedProcessModel::LimitsColumn).data().toString(), u"none"_s);
        QVERIFY(model.index(0, GovernedProcessModel::CpuColumn).data().toString().isEmpty());
    }

    void refusalsAreExplained_data()
    {
        QTest::addColumn<QStringList>("launcher");
        QTest::addColumn<QString>("explanation");
        QTest::newRow("dialog dismissed") << launcher(u"exit 126"_s) << u"dismissed"_s;
        QTest::newRow("not authorized") << launcher(u"echo denied >&2; exit 127"_s)
                                        << u"Not authorized"_s;
        QTest::newRow("helper refused")
            << launcher(u"echo '{\"ok\":false,\"code\":\"refused\",\"error\":\"process 100 does "
                        "not exist\"}'; exit 3"_s)
            << u"process 100 does not exist"_s;
        QTest::newRow("no launcher") << QStringList{u"/nonexistent/pkexec"_s} << u"Cannot start"_s;
    }

    void refusalsAreExplained()
    {
        QFETCH(QStringList, launcher);
        QFETCH(QString, explanation);
        GovernedProcessesPanel panel(launcher);
        const TrackedProcess p = process(100, u"ffmpeg"_s);
        panel.showSample(sampleOf({p}));
        CgroupLimits limits;
        limits.cpuQuotaPercent = 50;
        panel.applyLimits(p, limits);
        auto *result = panel.findChild<QLabel *>(u"limitsResult"_s);
        QTRY_VERIFY2(result->text().contains(explanation), qPrintable(result->text()));
        QVERIFY(result->text().contains(u"limits not changed"_s));
        // Nothing changed: the row still shows the engine's limits.
        QCOMPARE(panel.model().index(0, GovernedProcessModel::LimitsColumn).data().toString(),
                 u"CPU 200 %, memory 4096 MB"_s);
    }

    void appliedAndClearedLimitsShowInTheRow()
    {
        const QString applied =
            u"echo '{\"ok\":true,\"job_id\":\"auto-ffmpeg-100\",\"applied\":{\"cpu_quota\":50},"
            "\"paths\":[\"/sys/fs/cgroup/pitwall/auto-ffmpeg-100\"],\"unsupported\":[]}'"_s;
        GovernedProcessesPanel panel(launcher(applied));
        const TrackedProcess p = process(100, u"ffmpeg"_s);
        panel.showSample(sampleOf({p}));
        auto *view = panel.findChild<QTableView *>(u"governedProcessesView"_s);
        auto *apply = panel.findChild<QPushButton *>(u"applyLimits"_s);
        QVERIFY(!apply->isEnabled()); // nothing selected
        view->selectRow(0);
        QVERIFY(apply->isEnabled());

        CgroupLimits limits;
        limits.cpuQuotaPercent = 50;
        panel.applyLimits(p, limits);
        QVERIFY(!apply->isEnabled()); // one request at a time
        auto *result = panel.findChild<QLabel *>(u"limitsResult"_s);
        QTRY_VERIFY2(result->text().contains(u"limits applied in job auto-ffmpeg-100: CPU 50 %"_s),
                     qPrintable(result->text()));
        QVERIFY(apply->isEnabled());
        const QModelIndex limitsCell = panel.model().index(0, GovernedProcessModel::LimitsColumn);
        QCOMPARE(limitsCell.data().toString(), u"CPU 50 % (set here)"_s);
        // A snapshot with the same engine state keeps the helper's word...
        panel.showSample(sampleOf({p}));
        QCOMPARE(limitsCell.data().toString(), u"CPU 50 % (set here)"_s);
        // ...until the engine reports other limits itself.
        TrackedProcess changed = p;
        changed.limitsApplied.cpuQuotaPercent = 300;
        panel.showSample(sampleOf({changed}));
        QCOMPARE(limitsCell.data().toString(), u"CPU 300 %, memory 4096 MB"_s);
    }

    void clearReportsTheRemovedJob()
    {
        GovernedProcessesPanel panel(launcher(u"echo '{\"ok\":true,\"job_id\":\"auto-ffmpeg-100\"}'"_s));
        const TrackedProcess p = process(100, u"ffmpeg"_s);
        panel.showSample(sampleOf({p}));
        panel.clearLimits(p);
        auto *result = panel.findChild<QLabel *>(u"limitsResult"_s);
        QTRY_VERIFY2(result->text().contains(u"limits cleared, job auto-ffmpeg-100 removed"_s),
                     qPrintable(result->text()));
        QCOMPARE(panel.model().index(0, GovernedProcessModel::LimitsColumn).data().toString(),
                 u"cleared here"_s);
    }

    void watchOffIsExplained()
    {
        GovernedProcessesPanel panel(launcher(u"exit 0"_s));
        panel.show();
        auto *state = panel.findChild<QLabel *>(u"watchState"_s);
        panel.showSample(ConsoleSample{});
        QVERIFY(state->isVisible());
        panel.showSample(sampleOf({}));
        QVERIFY(!state->isVisible());
    }
};

QTEST_MAIN(GovernedProcessesTest)
#include "governedprocesses.moc"
