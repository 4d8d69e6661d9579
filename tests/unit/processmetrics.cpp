#include "core/metrics/metricsregistry.h"
#include "core/metrics/processmetrics.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// The value of the sample line starting with `sample ` (name plus labels as rendered).
std::optional<double> sampleValue(const QByteArray &text, const QByteArray &sample)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(sample + ' ')) {
            const QByteArray value = line.mid(sample.size() + 1);
            if (value == "+Inf")
                return std::numeric_limits<double>::infinity();
            bool ok = false;
            const double parsed = value.toDouble(&ok);
            return ok ? std::optional<double>(parsed) : std::nullopt;
        }
    }
    return std::nullopt;
}

QByteArray scrape(const QString &procSelfDir)
{
    MetricsRegistry registry;
    registerProcessMetrics(registry, procSelfDir);
    return registry.render();
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(content), content.size());
}

// A /proc/<pid>/stat line: the command name holds spaces and parentheses on purpose, the parser
// must split after the last ')'.
QByteArray statLine(int utime, int stime, qint64 startTicks)
{
    QList<QByteArray> fields(52, "0");
    fields[0] = "4242";
    fields[1] = "(pit wall) (x))";
    fields[2] = "S";
    fields[13] = QByteArray::number(utime);
    fields[14] = QByteArray::number(stime);
    fields[21] = QByteArray::number(startTicks);
    fields[22] = "987654321";
    fields[23] = "777";
    return fields.join(' ') + '\n';
}

const QByteArray limitsText =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max open files            4096                 524288               files     \n"
    "Max locked memory         8388608              8388608              bytes     \n";

const QByteArray systemStatText = "cpu  1 2 3 4\nintr 5\nbtime 1700000000\nprocesses 99\n";

} // namespace

class TestProcessMetrics final : public QObject
{
    Q_OBJECT

private slots:
    void realProcessValuesArePlausible();
    void openFdsFollowFiles();
    void fixtureValuesComeOutExactly();
    void unlimitedFileLimitIsInfinite();
    void missingFilesAreOmitted();
    void malformedFilesAreOmitted();
};

void TestProcessMetrics::realProcessValuesArePlausible()
{
    const QByteArray text = scrape(u"/proc/self"_s);
    const auto value = [&text](const char *sample) {
        const std::optional<double> v = sampleValue(text, sample);
        if (!v)
            qWarning("missing %s in\n%s", sample, text.constData());
        return v.value_or(std::numeric_limits<double>::quiet_NaN());
    };
    QVERIFY(value("process_open_fds") > 0);
    QVERIFY(value("process_resident_memory_bytes") > 0);
    QVERIFY(value("process_virtual_memory_bytes") >= value("process_resident_memory_bytes"));
    QVERIFY(value("process_cpu_seconds_total") >= 0);

    const double uptime = value("pitwall_uptime_seconds");
    QVERIFY(uptime >= 0);
    QVERIFY(uptime < 600); // this test process started moments ago
    // Start time + uptime is now; btime is whole seconds, so allow a little slack.
    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    QVERIFY(qAbs(value("process_start_time_seconds") + uptime - now) < 5);

    rlimit files{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &files), 0);
    const double expectedMax = files.rlim_cur == RLIM_INFINITY
        ? std::numeric_limits<double>::infinity()
        : double(files.rlim_cur);
    QCOMPARE(value("process_max_fds"), expectedMax);

    const QByteArray buildInfo = "pitwall_build_info{version=\"" PITWALL_VERSION "\"}";
    QCOMPARE(sampleValue(text, buildInfo), std::optional<double>(1.0));
}

void TestProcessMetrics::openFdsFollowFiles()
{
    MetricsRegistry registry;
    registerProcessMetrics(registry);
    registry.render(); // anything Qt opens lazily on the first scrape is open from now on
    const std::optional<double> before = sampleValue(registry.render(), "process_open_fds");
    QVERIFY(before);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<std::unique_ptr<QFile>> files;
    for (int i = 0; i < 3; ++i) {
        files.push_back(std::make_unique<QFile>(dir.filePath(QString::number(i))));
        QVERIFY(files.back()->open(QIODevice::WriteOnly));
    }
    QCOMPARE(sampleValue(registry.render(), "process_open_fds"), *before + 3);
}

void TestProcessMetrics::fixtureValuesComeOutExactly()
{
    QTemporaryDir proc;
    QVERIFY(proc.isValid());
    const QDir self(proc.filePath(u"self"_s));
    QVERIFY(QDir().mkpath(self.filePath(u"fd"_s)));
    writeFile(self.filePath(u"stat"_s), statLine(250, 150, 360000));
    writeFile(self.filePath(u"statm"_s), "2000 500 120 10 0 300 0\n");
    writeFile(self.filePath(u"limits"_s), limitsText);
    writeFile(proc.filePath(u"stat"_s), systemStatText);
    writeFile(proc.filePath(u"uptime"_s), "5000.25 9000.00\n");
    for (const char *fd : {"0", "1", "2"})
        writeFile(self.filePath(u"fd/"_s + QLatin1String(fd)), "x");
    // Sockets and pipes show up as dangling links; they are open descriptors too.
    QVERIFY(QFile::link(u"/nonexistent/socket:[123]"_s, self.filePath(u"fd/3"_s)));

    const QByteArray text = scrape(self.path());
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    const double pageSize = double(::sysconf(_SC_PAGESIZE));
    const double startSinceBoot = 360000 / ticks;

    QCOMPARE(sampleValue(text, "process_cpu_seconds_total"), std::optional(400 / ticks));
    QCOMPARE(sampleValue(text, "process_start_time_seconds"),
             std::optional(1700000000 + startSinceBoot));
    QCOMPARE(sampleValue(text, "pitwall_uptime_seconds"), std::optional(5000.25 - startSinceBoot));
    QCOMPARE(sampleValue(text, "process_virtual_memory_bytes"), std::optional(2000 * pageSize));
    QCOMPARE(sampleValue(text, "process_resident_memory_bytes"), std::optional(500 * pageSize));
    QCOMPARE(sampleValue(text, "process_open_fds"), std::optional(4.0));
    QCOMPARE(sampleValue(text, "process_max_fds"), std::optional(4096.0));
    QVERIFY(text.contains("# TYPE process_cpu_seconds_total counter\n"));
    QVERIFY(text.contains("# TYPE process_open_fds gauge\n"));
}

void TestProcessMetrics::unlimitedFileLimitIsInfinite()
{
    QTemporaryDir proc;
    QVERIFY(proc.isValid());
    const QDir self(proc.filePath(u"self"_s));
    QVERIFY(QDir().mkpath(self.path()));
    QByteArray limits = limitsText;
    limits.replace("4096                 524288", "unlimited            unlimited");
    writeFile(self.filePath(u"limits"_s), limits);
    QVERIFY(scrape(self.path()).contains("\nprocess_max_fds +Inf\n"));
}

void TestProcessMetrics::missingFilesAreOmitted()
{
    QTemporaryDir proc;
    QVERIFY(proc.isValid());
    const QByteArray nothing = scrape(proc.filePath(u"absent"_s));
    QVERIFY2(!nothing.contains("process_"), nothing.constData());
    QVERIFY(!nothing.contains("pitwall_uptime_seconds"));
    QVERIFY(nothing.contains("pitwall_build_info{"));

    // Only the process's stat and statm: no boot time, system uptime, fd dir or limits.
    const QDir self(proc.filePath(u"self"_s));
    QVERIFY(QDir().mkpath(self.path()));
    writeFile(self.filePath(u"statm"_s), "2000 500 120 10 0 300 0\n");
    writeFile(self.filePath(u"stat"_s), statLine(1, 2, 3));
    const QByteArray partial = scrape(self.path());
    QVERIFY(sampleValue(partial, "process_resident_memory_bytes"));
    QVERIFY(sampleValue(partial, "process_cpu_seconds_total"));
    QVERIFY(!partial.contains("process_start_time_seconds"));
    QVERIFY(!partial.contains("pitwall_uptime_seconds"));
    QVERIFY(!partial.contains("process_open_fds"));
    QVERIFY(!partial.contains("process_max_fds"));
}

void TestProcessMetrics::malformedFilesAreOmitted()
{
    QTemporaryDir proc;
    QVERIFY(proc.isValid());
    const QDir self(proc.filePath(u"self"_s));
    QVERIFY(QDir().mkpath(self.path()));
    writeFile(self.filePath(u"stat"_s), "4242 (truncated");
    writeFile(self.filePath(u"statm"_s), "lots\n");
    writeFile(self.filePath(u"limits"_s), "Max open files            many\n");
    writeFile(proc.filePath(u"stat"_s), systemStatText);
    writeFile(proc.filePath(u"uptime"_s), "5000.25 9000.00\n");
    const QByteArray text = scrape(self.path());
    QVERIFY2(!text.contains("process_"), text.constData());
    QVERIFY(!text.contains("pitwall_uptime_seconds"));
    QVERIFY(text.contains("pitwall_build_info{"));
}

QTEST_GUILESS_MAIN(TestProcessMetrics)

#include "processmetrics.moc"
