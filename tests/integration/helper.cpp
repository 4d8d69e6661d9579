#include "cgroupmanager.h"
#include "cgroupworkload.h"
#include "testjobs.h"
#include "watch/helperclient.h"
#include "procfs.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

struct HelperRun
{
    int exitCode = -1;
    QByteArray out;
    QJsonObject answer;

    QByteArray describe() const { return "exit " + QByteArray::number(exitCode) + ": " + out; }
};

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

// pitwall-helper as a real process, run as root the way pkexec would run it, with a test
// configuration (PITWALL_HELPER_CONFIG) naming a random base. Every refusal is checked for its
// exit code AND for having changed nothing: no job directory, the process where it was.
class HelperTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_config;
    QString m_base;
    CgroupLayout m_layout;
    std::vector<std::unique_ptr<CgroupWorkload>> m_workloads;

    CgroupWorkload *track(std::unique_ptr<CgroupWorkload> workload)
    {
        m_workloads.push_back(std::move(workload));
        return m_workloads.back().get();
    }

    // A new file each time: a test may have handed the previous one to another owner.
    bool writeConfig(const QByteArray &text, QFile::Permissions permissions)
    {
        QFile::remove(m_config);
        QFile file(m_config);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size()
            && file.setPermissions(permissions);
    }

    bool writeGoodConfig()
    {
        return writeConfig("# test configuration\ncgroup_base=" + m_base.toUtf8()
                               + "\ntarget_commands=ffmpeg,gst-launch-1.0\n",
                           QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    }

    HelperRun runHelper(const QByteArray &input) const
    {
        QProcess process;
        QProcessEnvironment environment;  // as under pkexec: nothing inherited
        environment.insert(u"PITWALL_HELPER_CONFIG"_s, m_config);
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(PITWALL_HELPER_BINARY), {});
        HelperRun run;
        if (!process.waitForStarted(10'000))
            return run;
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(30'000)) {
            process.kill();
            process.waitForFinished();
            return run;
        }
        run.out = process.readAllStandardOutput();
        if (process.exitStatus() == QProcess::NormalExit)
            run.exitCode = process.exitCode();
        run.answer = QJsonDocument::fromJson(run.out).object();
        return run;
    }

    static QByteArray applyRequest(const CgroupWorkload &target, qint64 startTimeDelta = 0)
    {
        return json({{u"verb"_s, u"apply"_s},
                     {u"pid"_s, target.pid()},
                     {u"start_time"_s, qint64(target.startTime()) + startTimeDelta},
                     {u"limits"_s, QJsonObject{{u"cpu_quota"_s, 200}, {u"cpu_weight"_s, 100},
                                               {u"memory_limit"_s, 4096}}}});
    }

    static QByteArray clearRequest(const CgroupWorkload &target)
    {
        return json({{u"verb"_s, u"clear"_s}, {u"pid"_s, target.pid()},
                     {u"start_time"_s, qint64(target.startTime())}});
    }

    QStringList jobsUnderBase() const
    {
        QStringList jobs;
        for (const QString &mount : m_layout.hierarchies())
            jobs << QDir(mount + u'/' + m_base).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        return jobs;
    }

    // A one-line JSON refusal with this exit code and code name, and nothing changed.
    void expectRefusal(const QByteArray &input, int exitCode, const QString &mentions,
                       const CgroupWorkload *target = nullptr)
    {
        const QString cpuBefore = target ? target->cgroupOf(u"cpu"_s) : QString();
        const HelperRun run = runHelper(input);
        QVERIFY2(run.exitCode == exitCode, run.describe());
        QVERIFY2(run.out.endsWith('\n') && run.out.count('\n') == 1, run.describe());
        QCOMPARE(run.answer.value(u"ok"_s), QJsonValue(false));
        static const QHash<int, QString> codes{{2, u"malformed"_s}, {3, u"refused"_s},
                                               {4, u"cgroup_failed"_s}, {5, u"config_error"_s}};
        QCOMPARE(run.answer.value(u"code"_s).toString(), codes.value(exitCode));
        QVERIFY2(run.answer.value(u"error"_s).toString().contains(mentions), run.describe());
        QVERIFY2(jobsUnderBase().isEmpty(), qPrintable(jobsUnderBase().join(u' ')));
        if (target)
            QCOMPARE(target->cgroupOf(u"cpu"_s), cpuBefore);
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the helper creates cgroups and moves processes");
        QVERIFY(m_dir.isValid());
        m_layout = CgroupLayout::detect();
        QVERIFY2(m_layout.kind() != CgroupLayout::Kind::None, qPrintable(m_layout.reason()));
        m_base = u"pitwall-helpertest-%1"_s.arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'));
        m_config = m_dir.filePath(u"helper.conf"_s);
    }

    void init() { QVERIFY(writeGoodConfig()); }

    void cleanup()
    {
        m_workloads.clear();
        const QString left = removeTestBase(m_layout, m_base);
        QVERIFY2(left.isEmpty(), qPrintable(left));
    }

    void appliesAndClears()
    {
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        const HelperRun run = runHelper(applyRequest(*ffmpeg));
        QVERIFY2(run.exitCode == 0, run.describe());
        QVERIFY2(run.out.endsWith('\n') && run.out.count('\n') == 1, run.describe());
        const QString jobId = u"auto-ffmpeg-%1"_s.arg(ffmpeg->pid());
        QCOMPARE(run.answer.value(u"ok"_s), QJsonValue(true));
        QCOMPARE(run.answer.value(u"job_id"_s).toString(), jobId);
        const auto applied = AppliedLimits::fromJson(run.answer, nullptr);
        QVERIFY2(applied, run.describe());
        QCOMPARE(applied->limits.cpuQuotaPercent, std::optional<int>(200));
        QCOMPARE(applied->limits.cpuWeight, std::optional<int>(100));
        QCOMPARE(applied->limits.memoryLimitMb, std::optional<qint64>(4096));
        QCOMPARE(applied->paths, CgroupManager(m_layout, m_base).jobPaths(jobId));

        const QStringList mismatches = standardJobMismatches(m_layout, m_base, jobId, *ffmpeg);
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(u'\n')));

        // Applying again replaces the limits of the same job.
        QByteArray again = applyRequest(*ffmpeg);
        again.replace("\"cpu_quota\":200", "\"cpu_quota\":300");
        const HelperRun second = runHelper(again);
        QVERIFY2(second.exitCode == 0, second.describe());
        QCOMPARE(second.answer.value(u"applied"_s).toObject().value(u"cpu_quota"_s).toInt(), 300);

        const HelperRun cleared = runHelper(clearRequest(*ffmpeg));
        QVERIFY2(cleared.exitCode == 0, cleared.describe());
        QCOMPARE(cleared.answer.value(u"job_id"_s).toString(), jobId);
        QCOMPARE(ffmpeg->cgroupOf(m_layout.isUnified() ? QString() : u"cpu"_s), u"/"_s);
        QVERIFY(jobsUnderBase().isEmpty());
        QVERIFY2(QProcess::execute(u"kill"_s, {u"-0"_s, QString::number(ffmpeg->pid())}) == 0,
                 "the governed process must survive apply and clear");
    }

    // clear only moves a process out of its own job, never out of someone else's cgroup.
    void clearRefusesProcessNotInItsJob()
    {
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        expectRefusal(clearRequest(*ffmpeg), 3, u"is not in job"_s, ffmpeg);
    }

    void refusesNonTarget()
    {
        CgroupWorkload *sleeper = track(CgroupWorkload::start(u"sleep"_s, {u"60"_s}, u"sleep"_s));
        QVERIFY(sleeper);
        expectRefusal(applyRequest(*sleeper), 3, u"runs \"sleep\", which is not a target command"_s, sleeper);
    }

    void refusesImpostor()
    {
        CgroupWorkload *impostor = track(CgroupWorkload::start(
            u"bash"_s, {u"-c"_s, u"exec -a ffmpeg sleep 60"_s}, u"sleep"_s));
        QVERIFY(impostor);
        // It really claims to be ffmpeg: exec switches the exe link before it writes argv, so wait.
        QTRY_COMPARE(ProcFs().argv0(impostor->pid()), u"ffmpeg"_s);
        expectRefusal(applyRequest(*impostor), 3, u"runs \"sleep\""_s, impostor);
    }

    void refusesStaleStartTime()
    {
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        expectRefusal(applyRequest(*ffmpeg, -1), 3, u"has start time"_s, ffmpeg);
        expectRefusal(applyRequest(*ffmpeg, 1000), 3, u"has start time"_s, ffmpeg);
    }

    void refusesDeadPid()
    {
        auto ffmpeg = CgroupWorkload::ffmpeg();
        QVERIFY(ffmpeg);
        const QByteArray request = applyRequest(*ffmpeg);
        ffmpeg->stop();
        expectRefusal(request, 3, u"does not exist"_s);
    }

    void refusesTraversalLookingInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("verb") << QByteArray(R"({"verb":"../../../sys/fs/cgroup/cpu/cgroup.procs","pid":1,"start_time":1})");
        QTest::newRow("path key") << QByteArray(R"({"verb":"clear","pid":1,"start_time":1,"path":"/sys/fs/cgroup/cpu"})");
        QTest::newRow("job id") << QByteArray(R"({"verb":"apply","pid":1,"start_time":1,"job_id":"../../x","limits":{"cpu_quota":1}})");
        QTest::newRow("pid path") << QByteArray(R"({"verb":"clear","pid":"../../1","start_time":1})");
        QTest::newRow("limit path") << QByteArray(R"({"verb":"apply","pid":1,"start_time":1,"limits":{"cpu_quota":"/etc/shadow"}})");
        QTest::newRow("file key") << QByteArray(R"({"verb":"apply","pid":1,"start_time":1,"limits":{"../release_agent":1}})");
        QTest::newRow("binary") << QByteArray("\x7f" "ELF\x02\x01\x01\x00", 8);
        QTest::newRow("array") << QByteArray(R"([{"verb":"clear","pid":1,"start_time":1}])");
    }

    void refusesTraversalLookingInput()
    {
        QFETCH(QByteArray, input);
        expectRefusal(input, 2, QString());
    }

    void refusesOutOfRange_data()
    {
        QTest::addColumn<QByteArray>("limits");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("quota 0") << QByteArray(R"({"cpu_quota":0})") << u"cpu_quota"_s;
        QTest::newRow("quota huge") << QByteArray(R"({"cpu_quota":100001})") << u"cpu_quota"_s;
        QTest::newRow("weight negative") << QByteArray(R"({"cpu_weight":-5})") << u"cpu_weight"_s;
        QTest::newRow("memory 2 TiB") << QByteArray(R"({"memory_limit":2097152})") << u"memory_limit"_s;
    }

    void refusesOutOfRange()
    {
        QFETCH(QByteArray, limits);
        QFETCH(QString, mentions);
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        const QByteArray input = R"({"verb":"apply","pid":)" + QByteArray::number(ffmpeg->pid())
            + R"(,"start_time":)" + QByteArray::number(ffmpeg->startTime()) + R"(,"limits":)" + limits + '}';
        expectRefusal(input, 3, mentions, ffmpeg);
        expectRefusal(R"({"verb":"clear","pid":0,"start_time":1})", 3, u"pid"_s);
        expectRefusal(R"({"verb":"clear","pid":99999999,"start_time":1})", 3, u"pid"_s);
    }

    void refusesOversizedInput()
    {
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        expectRefusal(QByteArray(5000, ' ') + applyRequest(*ffmpeg), 2, u"larger than 4096 bytes"_s, ffmpeg);
        expectRefusal(QByteArray(1 << 20, '{'), 2, u"larger than 4096 bytes"_s, ffmpeg);
    }

    void refusesUnsafeConfig_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("mode");
        QTest::addColumn<uint>("owner");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("writable by others") << QByteArray("cgroup_base=x\n") << 0666 << 0u << u"writable by group or others"_s;
        QTest::newRow("writable by group") << QByteArray("cgroup_base=x\n") << 0664 << 0u << u"writable by group or others"_s;
        QTest::newRow("owned by nobody") << QByteArray("cgroup_base=x\n") << 0644 << 65534u << u"not owned by root"_s;
        QTest::newRow("unknown key") << QByteArray("cgroup_base=x\nallow_paths=/\n") << 0644 << 0u << u"unknown key"_s;
        QTest::newRow("not a cgroup root") << QByteArray("cgroup_root=/tmp\n") << 0644 << 0u << u"is no cgroup root"_s;
    }

    void refusesUnsafeConfig()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, mode);
        QFETCH(uint, owner);
        QFETCH(QString, mentions);
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        QVERIFY(writeConfig(text, QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(::chmod(QFile::encodeName(m_config).constData(), mode_t(mode)), 0);
        QCOMPARE(::chown(QFile::encodeName(m_config).constData(), owner, owner), 0);
        expectRefusal(applyRequest(*ffmpeg), 5, mentions, ffmpeg);
    }

    void refusesMissingConfig()
    {
        QVERIFY(QFile::remove(m_config));
        expectRefusal(R"({"verb":"clear","pid":1,"start_time":1})", 5, u"No such file"_s);
    }

    // The console's side: HelperClient runs the helper (pkexec in production, the binary
    // itself here) and turns exit codes and answers into results an operator can read.
    void clientAppliesAndClears()
    {
        CgroupWorkload *ffmpeg = track(CgroupWorkload::ffmpeg());
        QVERIFY(ffmpeg);
        qputenv("PITWALL_HELPER_CONFIG", m_config.toLocal8Bit());
        HelperClient client({QStringLiteral(PITWALL_HELPER_BINARY)});
        QSignalSpy finished(&client, &HelperClient::finished);

        HelperRequest apply;
        apply.pid = ffmpeg->pid();
        apply.startTime = ffmpeg->startTime();
        apply.limits.cpuQuotaPercent = 150;
        client.send(apply);
        QVERIFY(client.isBusy());
        QTRY_COMPARE(finished.size(), 1);
        auto result = finished.takeFirst().at(0).value<HelperClient::Result>();
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.jobId, u"auto-ffmpeg-%1"_s.arg(ffmpeg->pid()));
        QCOMPARE(result.applied.limits.cpuQuotaPercent, 150);
        QVERIFY(ffmpeg->cgroupOf(u"cpu"_s).endsWith(result.jobId));

        HelperRequest clear = apply;
        clear.verb = HelperRequest::Verb::Clear;
        clear.limits = {};
        client.send(clear);
        QTRY_COMPARE(finished.size(), 1);
        result = finished.takeFirst().at(0).value<HelperClient::Result>();
        QVERIFY2(result.ok, qPrintable(result.error));
        QVERIFY(!ffmpeg->cgroupOf(u"cpu"_s).contains(m_base));

        // Refusals come back with the helper's reason.
        apply.startTime += 1;
        client.send(apply);
        QTRY_COMPARE(finished.size(), 1);
        result = finished.takeFirst().at(0).value<HelperClient::Result>();
        QVERIFY(!result.ok);
        QCOMPARE(result.exitCode, 3);
        QVERIFY2(result.error.startsWith(u"The helper refused (refused): "_s), qPrintable(result.error));
        qunsetenv("PITWALL_HELPER_CONFIG");
    }

    void clientExplainsPkexecOutcomes_data()
    {
        QTest::addColumn<QStringList>("launcher");
        QTest::addColumn<QString>("expected");
        QTest::newRow("dialog dismissed") << QStringList{u"sh"_s, u"-c"_s, u"cat >/dev/null; exit 126"_s}
                                          << u"The authentication dialog was dismissed"_s;
        QTest::newRow("not authorized") << QStringList{u"sh"_s, u"-c"_s, u"cat >/dev/null; echo denied >&2; exit 127"_s}
                                        << u"Not authorized to change cgroup limits"_s;
        QTest::newRow("no answer") << QStringList{u"sh"_s, u"-c"_s, u"cat >/dev/null; exit 4"_s}
                                   << u"The helper exited with code 4 without an answer"_s;
        QTest::newRow("missing launcher") << QStringList{u"/nonexistent/pkexec"_s}
                                          << u"Cannot start /nonexistent/pkexec"_s;
    }

    void clientExplainsPkexecOutcomes()
    {
        QFETCH(QStringList, launcher);
        QFETCH(QString, expected);
        HelperClient client(launcher);
        QSignalSpy finished(&client, &HelperClient::finished);
        HelperRequest request;
        request.pid = 1;
        request.startTime = 1;
        request.limits.cpuWeight = 100;
        client.send(request);
        QTRY_COMPARE(finished.size(), 1);
        const auto result = finished.takeFirst().at(0).value<HelperClient::Result>();
        QVERIFY(!result.ok);
        QVERIFY2(result.error.startsWith(expected), qPrintable(result.error));
        QVERIFY(!client.isBusy());
    }
};

QTEST_GUILESS_MAIN(HelperTest)
#include "helper.moc"
