// The watch engine as the desktop console runs it for a normal user: told that it is not root,
// it sends every attach to pitwall-helper (here the binary itself, run as root by this test,
// where production has pkexec in front), on this host's real cgroups, with a real ffmpeg.
#include "cgroupmanager.h"
#include "cgroupworkload.h"
#include "procfs.h"
#include "testjobs.h"

#include "core/metrics/metricsregistry.h"
#include "watch/watchconfig.h"
#include "watch/watchengine.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// Every message with the milliseconds since the test began, to measure the retry backoff.
struct LogLine
{
    qint64 ms = 0;
    QString text;
};

QList<LogLine> g_log;
QElapsedTimer g_clock;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log.append({g_clock.elapsed(), message});
    g_previousHandler(type, context, message);
}

QList<qint64> loggedAt(const QString &text)
{
    QList<qint64> times;
    for (const LogLine &line : std::as_const(g_log)) {
        if (line.text.contains(text))
            times.append(line.ms);
    }
    return times;
}

} // namespace

class WatchHelperTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_base;
    QString m_helperConfig;
    QString m_workDir;
    CgroupLayout m_layout;

    // helper.conf as root would install it; target_commands decides what the helper accepts.
    bool writeHelperConfig(const QByteArray &targets)
    {
        QFile file(m_helperConfig);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write("cgroup_base=" + m_base.toUtf8() + "\ntarget_commands=" + targets + '\n') > 0
            && file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup
                                   | QFile::ReadOther);
    }

    // Only processes working in m_workDir are governed: none of the host's other ffmpegs.
    std::unique_ptr<WatchEngine> startEngine(MetricsRegistry &metrics)
    {
        const QString file = m_dir.filePath(u"watch-config.yaml"_s);
        QFile yaml(file);
        if (!yaml.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return nullptr;
        yaml.write(u"scan_interval: 200ms\n"
                   "cgroup_base: %1\n"
                   "max_retry_attempts: 5\n"
                   "default_limits:\n  cpu_quota: 200\n  cpu_weight: 100\n  memory_limit: 4096\n"
                   "filters:\n  allowed_dirs: [%2]\n"_s.arg(m_base, m_workDir).toUtf8());
        yaml.close();
        QString error;
        const auto config = WatchConfig::load(file, {}, m_dir.path(), &error);
        if (!config)
            qFatal("watch config refused: %s", qPrintable(error));
        auto engine = std::make_unique<WatchEngine>(
            *config, file, QProcessEnvironment(), m_dir.path(), metrics,
            LimitApplier::Access{1000, {QStringLiteral(PITWALL_HELPER_BINARY)}});
        engine->start();
        return engine;
    }

    QJsonObject state() const
    {
        QFile file(m_dir.filePath(u"watch-state.json"_s));
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                              : QJsonObject();
    }

    QJsonObject entry(const CgroupWorkload &workload) const
    {
        return state()[u"processes"_s][QString::number(workload.pid())].toObject();
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: pitwall-helper creates cgroups and moves processes");
        if (QStandardPaths::findExecutable(u"ffmpeg"_s).isEmpty())
            QFAIL("ffmpeg missing (installer/install-deps.sh --test)");
        QVERIFY(m_dir.isValid());
        m_layout = CgroupLayout::detect();
        QVERIFY2(m_layout.kind() != CgroupLayout::Kind::None, qPrintable(m_layout.reason()));
        m_base = u"pitwall-watchhelper-%1"_s.arg(QRandomGenerator::global()->generate(), 8, 16,
                                                 QChar(u'0'));
        m_helperConfig = m_dir.filePath(u"helper.conf"_s);
        m_workDir = m_dir.filePath(u"work"_s);
        QVERIFY(QDir().mkpath(m_workDir));
        // The helper reads it; under pkexec the environment is cleared and helper.conf is used.
        qputenv("PITWALL_HELPER_CONFIG", QFile::encodeName(m_helperConfig));
        g_clock.start();
        g_previousHandler = qInstallMessageHandler(captureMessage);
    }

    void cleanupTestCase() { qInstallMessageHandler(g_previousHandler); }

    void init()
    {
        g_log.clear();
        QFile::remove(m_dir.filePath(u"watch-state.json"_s));
        QVERIFY(writeHelperConfig("ffmpeg,gst-launch-1.0"));
    }

    void cleanup()
    {
        const QString left = removeTestBase(m_layout, m_base);
        QVERIFY2(left.isEmpty(), qPrintable(left));
    }

    void attachesThroughTheHelper()
    {
        MetricsRegistry metrics;
        const auto engine = startEngine(metrics);
        QVERIFY(engine);
        QCOMPARE(loggedAt(u"not root: limits go through "_s + QStringLiteral(PITWALL_HELPER_BINARY)).size(), 1);
        const auto ffmpeg = CgroupWorkload::detachedFfmpeg(m_workDir);
        QVERIFY(ffmpeg);
        const QString job = u"auto-ffmpeg-%1"_s.arg(ffmpeg->pid());
        QTRY_VERIFY_WITH_TIMEOUT(!entry(*ffmpeg).isEmpty(), 10'000);

        // The state entry holds what the helper reported: its job, paths and read-back limits.
        const QJsonObject tracked = entry(*ffmpeg);
        QCOMPARE(tracked[u"job_id"_s].toString(), job);
        QCOMPARE(tracked[u"command"_s].toString(), u"ffmpeg"_s);
        QCOMPARE(tracked[u"start_time"_s].toInteger(), qint64(ffmpeg->startTime()));
        QCOMPARE(tracked[u"cgroup_paths"_s].toVariant().toStringList(),
                 CgroupManager(m_layout, m_base).jobPaths(job));
        QCOMPARE(tracked[u"limits_applied"_s].toObject(),
                 (QJsonObject{{u"cpu_quota"_s, 200}, {u"cpu_weight"_s, 100},
                              {u"memory_limit"_s, 4096}}));
        const QStringList mismatches = standardJobMismatches(m_layout, m_base, job, *ffmpeg);
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(u'\n')));
        QCOMPARE(state()[u"statistics"_s][u"total_attachments"_s].toInteger(), 1);
        QCOMPARE(state()[u"statistics"_s][u"total_failed"_s].toInteger(), 0);
        QVERIFY(metrics.render().contains("watch_attachments_total{command=\"ffmpeg\"} 1\n"));

        // It exits: the engine lets go of it. The empty job stays (the helper acts on live
        // processes only) and goes in cleanup().
        ffmpeg->stop();
        QTRY_VERIFY_WITH_TIMEOUT(entry(*ffmpeg).isEmpty(), 5000);
        QCOMPARE(loggedAt(u"Detached from PID %1 (job: %2)"_s.arg(ffmpeg->pid()).arg(job)).size(), 1);
        engine->stop();
    }

    // The helper refuses (its target_commands lacks ffmpeg): each refusal is an attach failure,
    // retried after 1 s, then 2 s; once helper.conf allows ffmpeg, the next retry attaches.
    void refusalIsRetriedWithBackoff()
    {
        QVERIFY(writeHelperConfig("gst-launch-1.0"));
        MetricsRegistry metrics;
        const auto engine = startEngine(metrics);
        QVERIFY(engine);
        const auto ffmpeg = CgroupWorkload::detachedFfmpeg(m_workDir);
        QVERIFY(ffmpeg);
        const int pid = ffmpeg->pid();
        const QString refused =
            u"Attachment to PID %1 failed: The helper refused (refused): process %1 runs "
            "\"ffmpeg\", which is not a target command (gst-launch-1.0); next attempt at "_s.arg(pid);
        QTRY_VERIFY_WITH_TIMEOUT(loggedAt(refused).size() == 2, 10'000);
        QVERIFY(metrics.render().contains("watch_attach_failures_total{command=\"ffmpeg\"} 2\n"));
        QTRY_COMPARE(state()[u"statistics"_s][u"total_failed"_s].toInteger(), 2);
        QVERIFY(entry(*ffmpeg).isEmpty());

        QVERIFY(writeHelperConfig("ffmpeg"));
        QTRY_VERIFY_WITH_TIMEOUT(!entry(*ffmpeg).isEmpty(), 10'000);
        QCOMPARE(entry(*ffmpeg)[u"job_id"_s].toString(), u"auto-ffmpeg-%1"_s.arg(pid));
        const QList<qint64> failures = loggedAt(refused);
        const QList<qint64> attempts = loggedAt(u"Attaching to PID %1 (ffmpeg)"_s.arg(pid));
        QCOMPARE(failures.size(), 2);
        QCOMPARE(attempts.size(), 3);
        QCOMPARE(loggedAt(u"Retrying attachment to PID %1 (attempt 2/5)"_s.arg(pid)).size(), 1);
        QCOMPARE(loggedAt(u"Retrying attachment to PID %1 (attempt 3/5)"_s.arg(pid)).size(), 1);
        // Retries run on the 200 ms scan once the backoff is over; the upper bounds keep the
        // first wait below the second backoff and the second below the third.
        const qint64 firstWait = attempts.at(1) - failures.at(0);
        const qint64 secondWait = attempts.at(2) - failures.at(1);
        QVERIFY2(firstWait >= 950 && firstWait < 2000, qPrintable(QString::number(firstWait)));
        QVERIFY2(secondWait >= 1950 && secondWait < 4000, qPrintable(QString::number(secondWait)));
        QVERIFY(metrics.render().contains("watch_attachments_total{command=\"ffmpeg\"} 1\n"));
        QVERIFY(metrics.render().contains("watch_attach_failures_total{command=\"ffmpeg\"} 2\n"));
        engine->stop();
    }
};

QTEST_GUILESS_MAIN(WatchHelperTest)
#include "watchhelper.moc"
