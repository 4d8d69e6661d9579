#include "watch/statefile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mount.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using Pitwall::Health;
using Pitwall::StateFile;
using Pitwall::StateLoadResult;
using Pitwall::TrackedProcess;
using Pitwall::WatchState;

namespace {

QDateTime utc(const QString &text)
{
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

TrackedProcess governedFfmpeg(int pid)
{
    TrackedProcess process;
    process.pid = pid;
    process.startTimeTicks = 987654321;
    process.command = u"ffmpeg"_s;
    process.jobId = u"auto-ffmpeg-%1"_s.arg(pid);
    process.discoveredAt = utc(u"2026-01-07T10:30:00.125Z"_s);
    process.attachedAt = utc(u"2026-01-07T10:30:01.250Z"_s);
    process.lastSeenAt = utc(u"2026-01-07T10:45:00.000Z"_s);
    process.cgroupPaths = {u"/sys/fs/cgroup/cpu/ffrtmp/auto-ffmpeg-%1"_s.arg(pid),
                           u"/sys/fs/cgroup/memory/ffrtmp/auto-ffmpeg-%1"_s.arg(pid)};
    process.limitsApplied.cpuQuotaPercent = 200;
    process.limitsApplied.cpuWeight = 100;
    process.limitsApplied.memoryLimitMb = 4096;
    process.limitsApplied.memoryHighMb = 3072;
    process.exePath = u"/usr/bin/ffmpeg"_s;
    process.uid = 1001;
    process.ppid = 4321;
    return process;
}

WatchState fullState()
{
    WatchState state;
    for (const int pid : {12345, 777})
        state.processes.insert(QString::number(pid), governedFfmpeg(pid));
    state.statistics.totalScans = 1440;
    state.statistics.totalDiscovered = 45;
    state.statistics.totalAttachments = 43;
    state.statistics.totalFailed = 2;
    state.statistics.totalExited = 41;
    state.statistics.lastScanAt = utc(u"2026-01-07T10:45:00.500Z"_s);
    state.statistics.lastScanDurationMs = 15.25;
    state.health.status = Health::Status::Degraded;
    state.health.reason = u"3 consecutive scan failures, last: x"_s;
    state.health.since = utc(u"2026-01-07T10:44:00.000Z"_s);
    state.health.consecutiveScanFailures = 3;
    state.health.consecutiveAttachFailures = 1;
    state.health.totalScanFailures = 7;
    state.health.totalAttachFailures = 2;
    state.health.lastSuccessfulScan = utc(u"2026-01-07T10:43:00.000Z"_s);
    state.health.lastSuccessfulAttachment = utc(u"2026-01-07T10:30:01.250Z"_s);
    return state;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                               QDir::Name);
}

// A tiny tmpfs, unmounted when the test ends however it ends.
struct TinyTmpfs
{
    QTemporaryDir mountPoint;
    bool mounted = false;

    bool mount(const char *size)
    {
        const QByteArray options = QByteArray("size=") + size;
        mounted = ::mount("tmpfs", QFile::encodeName(mountPoint.path()).constData(), "tmpfs", 0,
                          options.constData()) == 0;
        return mounted;
    }
    ~TinyTmpfs()
    {
        if (mounted)
            ::umount(QFile::encodeName(mountPoint.path()).constData());
    }
};

const QByteArray guideExample = R"({
  "processes": {
    "12345": {
      "pid": 12345,
      "job_id": "auto-ffmpeg-12345",
      "command": "ffmpeg",
      "discovered_at": "2026-01-07T10:30:00Z",
      "attached_at": "2026-01-07T10:30:01Z"
    }
  },
  "statistics": {
    "total_scans": 1440,
    "total_discovered": 45,
    "total_attachments": 43
  }
})";

} // namespace

class TestStateFile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonRoundTripKeepsEveryField()
    {
        const WatchState state = fullState();
        QString error;
        const std::optional<WatchState> back = StateFile::parse(StateFile::serialize(state), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->processes.value(u"12345"_s), state.processes.value(u"12345"_s));
        QCOMPARE(back->statistics, state.statistics);
        QCOMPARE(back->health, state.health);
        QCOMPARE(*back, state);
    }

    void writesTheGuideKeyNames()
    {
        const QJsonObject root = QJsonDocument::fromJson(StateFile::serialize(fullState())).object();
        QCOMPARE(root.value(u"schema_version"_s).toInt(), WatchState::currentSchemaVersion);
        QCOMPARE(root.value(u"last_scan_at"_s).toString(), u"2026-01-07T10:45:00.500Z"_s);
        const QJsonObject process = root.value(u"processes"_s)[u"12345"_s].toObject();
        QCOMPARE(process.keys(),
                 (QStringList{u"attached_at"_s, u"cgroup_paths"_s, u"command"_s,
                              u"discovered_at"_s, u"exe_path"_s, u"job_id"_s, u"last_seen_at"_s,
                              u"limits_applied"_s, u"pid"_s, u"ppid"_s, u"start_time"_s,
                              u"uid"_s}));
        QCOMPARE(process.value(u"pid"_s).toInt(), 12345);
        QCOMPARE(process.value(u"job_id"_s).toString(), u"auto-ffmpeg-12345"_s);
        QCOMPARE(process.value(u"start_time"_s).toInteger(), qint64(987654321));
        QCOMPARE(process.value(u"discovered_at"_s).toString(), u"2026-01-07T10:30:00.125Z"_s);
        QCOMPARE(process.value(u"limits_applied"_s)[u"cpu_quota"_s].toInt(), 200);
        const QJsonObject statistics = root.value(u"statistics"_s).toObject();
        QCOMPARE(statistics.value(u"total_scans"_s).toInt(), 1440);
        QCOMPARE(statistics.value(u"total_discovered"_s).toInt(), 45);
        QCOMPARE(statistics.value(u"total_attachments"_s).toInt(), 43);
        QCOMPARE(root.value(u"health"_s)[u"status"_s].toString(), u"degraded"_s);
    }

    void outputIsStablePrettyJson()
    {
        const QByteArray first = StateFile::serialize(fullState());
        QCOMPARE(StateFile::serialize(*StateFile::parse(first, nullptr)), first);
        QVERIFY(first.contains("\n    \"processes\": {\n        \"12345\": {\n"));
        QVERIFY(first.endsWith("}\n"));
        TrackedProcess unattached = governedFfmpeg(5);
        unattached.attachedAt = QDateTime();
        WatchState state;
        state.processes.insert(u"5"_s, unattached);
        QVERIFY(StateFile::serialize(state).contains("\"attached_at\": null"));
    }

    void theGuidesExampleLoads()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"watch-state.json"_s);
        QVERIFY(writeFile(path, guideExample));
        const StateLoadResult result = StateFile(path).load();
        QVERIFY2(result.warning.isEmpty(), qPrintable(result.warning));
        const WatchState &state = result.state;
        QCOMPARE(state.schemaVersion, 1);
        QCOMPARE(state.processes.keys(), QStringList{u"12345"_s});
        const TrackedProcess process = state.processes.value(u"12345"_s);
        QCOMPARE(process.pid, 12345);
        QCOMPARE(process.jobId, u"auto-ffmpeg-12345"_s);
        QCOMPARE(process.command, u"ffmpeg"_s);
        QCOMPARE(process.discoveredAt, utc(u"2026-01-07T10:30:00Z"_s));
        QCOMPARE(process.attachedAt, utc(u"2026-01-07T10:30:01Z"_s));
        QCOMPARE(process.startTimeTicks, quint64(0));
        QVERIFY(process.limitsApplied.isEmpty());
        QCOMPARE(state.statistics.totalScans, quint64(1440));
        QCOMPARE(state.statistics.totalDiscovered, quint64(45));
        QCOMPARE(state.statistics.totalAttachments, quint64(43));
        QCOMPARE(state.health.status, Health::Status::Healthy);
    }

    void theOldDaemonsFileLoads()
    {
        // Go's RFC3339Nano with a local offset, its zero time for "not attached yet".
        const QByteArray old = R"({
  "version": "1.0",
  "last_scan_at": "2026-01-07T11:30:00.123456789+01:00",
  "processes": {
    "99": {"pid": 99, "job_id": "auto-ffmpeg-99", "command": "ffmpeg",
           "discovered_at": "2026-01-07T11:29:59.5+01:00",
           "attached_at": "0001-01-01T00:00:00Z",
           "last_seen_at": "2026-01-07T11:29:59.5+01:00"}
  },
  "statistics": {"total_scans": 3, "total_discovered": 1, "total_attachments": 1}
})";
        QString error;
        const std::optional<WatchState> state = StateFile::parse(old, &error);
        QVERIFY2(state, qPrintable(error));
        QCOMPARE(state->schemaVersion, 1);
        QCOMPARE(state->statistics.lastScanAt, utc(u"2026-01-07T10:30:00.123Z"_s));
        const TrackedProcess process = state->processes.value(u"99"_s);
        QCOMPARE(process.discoveredAt, utc(u"2026-01-07T10:29:59.500Z"_s));
        QVERIFY(!process.attachedAt.isValid());
        QCOMPARE(state->statistics.totalScans, quint64(3));
    }

    void aMissingFileIsAnEmptyState()
    {
        QTemporaryDir dir;
        const StateLoadResult result = StateFile(dir.filePath(u"none.json"_s)).load();
        QVERIFY(result.warning.isEmpty());
        QVERIFY(result.quarantinedPath.isEmpty());
        QCOMPARE(result.state, WatchState());
        QVERIFY(entries(dir.path()).isEmpty());
    }

    void aCorruptFileIsMovedAsideAndReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.json"_s);
        QVERIFY(writeFile(path, "{not json"));
        const StateFile file(path);
        const QDateTime now = utc(u"2026-01-07T10:30:00.999Z"_s);

        const StateLoadResult result = file.load(now);
        const QString aside = path + u".corrupt-20260107T103000Z"_s;
        QCOMPARE(result.quarantinedPath, aside);
        QCOMPARE(readFile(aside), QByteArray("{not json"));
        QVERIFY(!QFile::exists(path));
        QVERIFY2(result.warning.contains(path + u" is unusable"_s), qPrintable(result.warning));
        QVERIFY2(result.warning.contains(aside), qPrintable(result.warning));
        QVERIFY2(result.warning.contains(u"invalid JSON"_s), qPrintable(result.warning));
        QCOMPARE(result.state, WatchState());

        // A second corrupt file in the same second keeps the first one.
        QVERIFY(writeFile(path, ""));
        QCOMPARE(file.load(now).quarantinedPath, aside + u"-2"_s);
        QCOMPARE(readFile(aside), QByteArray("{not json"));

        // The next flush writes a valid file next to the quarantined ones.
        QString error;
        QVERIFY2(file.save(fullState(), &error), qPrintable(error));
        const StateLoadResult reloaded = file.load(now);
        QVERIFY2(reloaded.warning.isEmpty(), qPrintable(reloaded.warning));
        QCOMPARE(reloaded.state, fullState());
        QCOMPARE(entries(dir.path()),
                 (QStringList{u"s.json"_s, u"s.json.corrupt-20260107T103000Z"_s,
                              u"s.json.corrupt-20260107T103000Z-2"_s}));
    }

    void invalidStatesAreQuarantined_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("array") << QByteArray("[1, 2]") << u"not a JSON object"_s;
        QTest::newRow("future schema") << QByteArray(R"({"schema_version": 99})")
                                       << u"schema_version: must be between 1 and 2"_s;
        QTest::newRow("unknown version") << QByteArray(R"({"version": "3.0"})")
                                         << u"unknown state file version \"3.0\""_s;
        QTest::newRow("pid as string")
            << QByteArray(R"({"processes": {"12": {"pid": "12"}}})")
            << u"processes.12.pid: must be an integer"_s;
        QTest::newRow("pid missing") << QByteArray(R"({"processes": {"12": {"command": "ffmpeg"}}})")
                                     << u"processes.12.pid: is required"_s;
        QTest::newRow("key is not the pid") << QByteArray(R"({"processes": {"12": {"pid": 13}}})")
                                            << u"processes.12: key must be the entry's pid"_s;
        QTest::newRow("entry not an object") << QByteArray(R"({"processes": {"12": 12}})")
                                             << u"processes.12: must be an object"_s;
        QTest::newRow("bad time")
            << QByteArray(R"({"processes": {"12": {"pid": 12, "discovered_at": "yesterday"}}})")
            << u"processes.12.discovered_at: must be an RFC 3339 timestamp"_s;
        QTest::newRow("bad limits")
            << QByteArray(R"({"processes": {"12": {"pid": 12, "limits_applied": {"cpu_quota": -5}}}})")
            << u"processes.12.limits_applied: "_s;
        QTest::newRow("negative counter") << QByteArray(R"({"statistics": {"total_scans": -1}})")
                                          << u"statistics.total_scans: must be between 0"_s;
        QTest::newRow("fractional counter") << QByteArray(R"({"statistics": {"total_scans": 1.5}})")
                                            << u"statistics.total_scans: must be an integer"_s;
        QTest::newRow("bad health") << QByteArray(R"({"health": {"status": "fine"}})")
                                    << u"health.status: must be healthy, degraded or unhealthy"_s;
        QTest::newRow("processes not an object") << QByteArray(R"({"processes": []})")
                                                 << u"processes: must be an object"_s;
    }

    void invalidStatesAreQuarantined()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.json"_s);
        QVERIFY(writeFile(path, content));
        const StateLoadResult result = StateFile(path).load();
        QVERIFY2(result.warning.contains(reason), qPrintable(result.warning));
        QVERIFY(result.quarantinedPath.startsWith(path + u".corrupt-"_s));
        QCOMPARE(readFile(result.quarantinedPath), content);
        QCOMPARE(result.state, WatchState());
    }

    void saveCreatesTheDirectoryAndLeavesNoTemporaryFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"var/lib/pitwall/watch-state.json"_s);
        QString error;
        QVERIFY2(StateFile(path).save(fullState(), &error), qPrintable(error));
        QCOMPARE(entries(dir.filePath(u"var/lib/pitwall"_s)), QStringList{u"watch-state.json"_s});
        QCOMPARE(readFile(path), StateFile::serialize(fullState()));
        QVERIFY(QFile::permissions(path).testFlag(QFileDevice::ReadOther));
    }

    void aFailedWriteKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.json"_s);
        const StateFile file(path);
        QVERIFY(file.save(fullState(), nullptr));
        const QByteArray old = readFile(path);
        // The temporary file's name is taken by a directory: the write cannot happen.
        const QString temporary = path + u".tmp-"_s + QString::number(::getpid());
        QVERIFY(QDir().mkdir(temporary));
        QString error;
        QVERIFY(!file.save(WatchState(), &error));
        QVERIFY2(error.contains(temporary), qPrintable(error));
        QCOMPARE(readFile(path), old);
    }

    void aParentThatIsAFileFailsWithAReason()
    {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(u"blocker"_s);
        QVERIFY(writeFile(blocker, "x"));
        QString error;
        QVERIFY(!StateFile(blocker + u"/s.json"_s).save(fullState(), &error));
        QVERIFY2(error.contains(u"cannot create directory "_s + blocker), qPrintable(error));
        QCOMPARE(readFile(blocker), QByteArray("x"));
    }

    void aFullDiskKeepsTheOldFile()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a tmpfs needs root");
        TinyTmpfs disk;
        if (!disk.mount("16k"))
            QSKIP("cannot mount a tmpfs here");
        const QString path = disk.mountPoint.filePath(u"s.json"_s);
        const StateFile file(path);
        QString error;
        QVERIFY2(file.save(fullState(), &error), qPrintable(error));
        const QByteArray old = readFile(path);

        WatchState big = fullState();
        for (int pid = 1000; pid < 1200; ++pid)
            big.processes.insert(QString::number(pid), governedFfmpeg(pid));
        QVERIFY(StateFile::serialize(big).size() > 64 * 1024);
        QVERIFY(!file.save(big, &error));
        QVERIFY2(error.contains(u"No space left on device"_s), qPrintable(error));
        QCOMPARE(readFile(path), old);
        QCOMPARE(entries(disk.mountPoint.path()), QStringList{u"s.json"_s});
        QCOMPARE(file.load().state, fullState());
    }
};

QTEST_APPLESS_MAIN(TestStateFile)
#include "statefile.moc"
