#include "watch/directlimitapplier.h"
#include "watch/helperlimitapplier.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Pitwall::LimitApplier;
using Pitwall::ProcessInfo;
using Pitwall::ProcessKey;

namespace {

ProcessInfo ffmpeg(int pid)
{
    ProcessInfo process;
    process.pid = pid;
    process.startTimeTicks = quint64(pid) * 100;
    process.command = u"ffmpeg"_s;
    return process;
}

// A stand-in for pkexec + pitwall-helper: `script` runs as `sh -c script <lock>`, request on stdin.
QStringList fakeHelper(const QString &script, const QString &lock = u"unused"_s)
{
    return {u"sh"_s, u"-c"_s, script, lock};
}

struct Answer
{
    ProcessInfo process;
    LimitApplier::Result result;
};

QList<Answer> answers(QSignalSpy &spy)
{
    QList<Answer> list;
    for (const QList<QVariant> &arguments : std::as_const(spy))
        list.append({arguments.at(0).value<ProcessInfo>(),
                     arguments.at(1).value<LimitApplier::Result>()});
    return list;
}

} // namespace

class TestLimitApplier final : public QObject
{
    Q_OBJECT

private slots:
    void choiceFollowsTheEffectiveUid()
    {
        const auto alive = [](const ProcessKey &) { return true; };
        const QStringList launcher{u"pkexec"_s, u"/usr/libexec/pitwall/pitwall-helper"_s};
        const std::unique_ptr<LimitApplier> asRoot(LimitApplier::create({0, launcher}, alive, nullptr));
        QVERIFY(qobject_cast<Pitwall::DirectLimitApplier *>(asRoot.get()));
        QVERIFY2(asRoot->describe().contains(u"directly"_s), qPrintable(asRoot->describe()));
        for (const uint euid : {1u, 1000u, 65534u}) {
            const std::unique_ptr<LimitApplier> asUser(LimitApplier::create({euid, launcher}, alive, nullptr));
            QVERIFY(qobject_cast<Pitwall::HelperLimitApplier *>(asUser.get()));
            QCOMPARE(asUser->describe(),
                     u"not root: limits go through pkexec /usr/libexec/pitwall/pitwall-helper"_s);
        }
        // Production reaches the helper through pkexec only: nothing else could make it root.
        QCOMPARE(LimitApplier::Access::ofThisProcess().helperLauncher.constFirst(), u"pkexec"_s);
    }

    // Several attaches at once become one helper run after the other, answered in order. The
    // fake helper refuses when another copy of it is still running (its lock directory exists).
    void helperRunsOneRequestAtATime()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString script = uR"(req=$(cat); pid=${req#*\"pid\":}; pid=${pid%%,*}
mkdir "$0" 2>/dev/null || { echo '{"ok":false,"code":"refused","error":"overlap"}'; exit 3; }
sleep 0.1; rmdir "$0"
printf '{"ok":true,"job_id":"auto-ffmpeg-%s","applied":{"cpu_weight":100},"paths":["/cg/auto-ffmpeg-%s"]}\n' "$pid" "$pid")"_s;
        Pitwall::HelperLimitApplier applier(fakeHelper(script, dir.filePath(u"busy"_s)),
                                            [](const ProcessKey &) { return true; });
        QSignalSpy finished(&applier, &LimitApplier::finished);
        Pitwall::CgroupLimits limits;
        limits.cpuWeight = 100;
        for (const int pid : {11, 12, 13})
            applier.apply(ffmpeg(pid), u"auto-ffmpeg-%1"_s.arg(pid), limits);
        QCOMPARE(finished.size(), 0); // answers come from the event loop, not from apply()
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 10'000);
        const QList<Answer> got = answers(finished);
        for (int i = 0; i < 3; ++i) {
            const int pid = 11 + i;
            QCOMPARE(got.at(i).process.pid, pid);
            const LimitApplier::Result &result = got.at(i).result;
            QVERIFY2(result.status == LimitApplier::Result::Status::Applied, qPrintable(result.error));
            QCOMPARE(result.jobId, u"auto-ffmpeg-%1"_s.arg(pid));
            QCOMPARE(result.applied.paths, QStringList{u"/cg/auto-ffmpeg-%1"_s.arg(pid)});
            QCOMPARE(result.applied.limits.cpuWeight, std::optional<int>(100));
        }
    }

    // A refusal is a failure for the engine to retry, unless the process is gone by then.
    void refusalFailsOrVanishes()
    {
        const QString script = uR"(cat >/dev/null; echo '{"ok":false,"code":"refused","error":"not a target"}'; exit 3)"_s;
        Pitwall::HelperLimitApplier applier(fakeHelper(script), [](const ProcessKey &key) {
            return key.pid == 21;
        });
        QSignalSpy finished(&applier, &LimitApplier::finished);
        Pitwall::CgroupLimits limits;
        limits.cpuQuotaPercent = 50;
        applier.apply(ffmpeg(21), u"auto-ffmpeg-21"_s, limits);
        applier.apply(ffmpeg(22), u"auto-ffmpeg-22"_s, limits);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10'000);
        const QList<Answer> got = answers(finished);
        QVERIFY(got.at(0).result.status == LimitApplier::Result::Status::Failed);
        QCOMPARE(got.at(0).result.error, u"The helper refused (refused): not a target"_s);
        QVERIFY(got.at(1).result.status == LimitApplier::Result::Status::Vanished);
    }

    void missingLauncherIsAFailure()
    {
        Pitwall::HelperLimitApplier applier({u"/nonexistent/pkexec"_s}, [](const ProcessKey &) {
            return true;
        });
        QSignalSpy finished(&applier, &LimitApplier::finished);
        applier.apply(ffmpeg(31), u"auto-ffmpeg-31"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        const LimitApplier::Result result = answers(finished).constFirst().result;
        QVERIFY(result.status == LimitApplier::Result::Status::Failed);
        QVERIFY2(result.error.startsWith(u"Cannot start /nonexistent/pkexec"_s), qPrintable(result.error));
    }
};

QTEST_GUILESS_MAIN(TestLimitApplier)
#include "limitapplier.moc"
