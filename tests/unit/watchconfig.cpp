#include "watch/watchconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Pitwall::CgroupLimits;
using Pitwall::WatchConfig;

namespace {

CgroupLimits limits(std::optional<int> quota, std::optional<int> weight,
                    std::optional<qint64> memory, std::optional<qint64> high = std::nullopt)
{
    CgroupLimits result;
    result.cpuQuotaPercent = quota;
    result.cpuWeight = weight;
    result.memoryLimitMb = memory;
    result.memoryHighMb = high;
    return result;
}

QProcessEnvironment environment(std::initializer_list<std::pair<QString, QString>> vars)
{
    QProcessEnvironment env;
    for (const auto &[name, value] : vars)
        env.insert(name, value);
    return env;
}

} // namespace

class WatchConfigTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Every test file is called watch-config.yaml, as the guide names it, in its own directory.
    QString writeYaml(const QByteArray &content)
    {
        static int counter = 0;
        const QString dir = m_dir.filePath(QString::number(++counter));
        QDir().mkpath(dir);
        const QString path = dir + u"/watch-config.yaml"_s;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write test config");
        return path;
    }

    WatchConfig loadOk(const QString &file, const QProcessEnvironment &env = {})
    {
        QString error;
        const auto config = WatchConfig::load(file, env, u"/var/lib/pitwall"_s, &error);
        if (!config)
            qFatal("config refused: %s", qPrintable(error));
        return *config;
    }

    QString loadError(const QString &file, const QProcessEnvironment &env = {})
    {
        QString error;
        if (WatchConfig::load(file, env, u"/var/lib/pitwall"_s, &error))
            return u"(accepted)"_s;
        return error;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaultsWithoutFileOrEnvironment()
    {
        const WatchConfig config = loadOk(QString());
        QCOMPARE(config.scanInterval, 10s);
        QCOMPARE(config.targetCommands, (QStringList{u"ffmpeg"_s, u"gst-launch-1.0"_s}));
        QCOMPARE(config.defaultLimits, limits(std::nullopt, 100, std::nullopt));
        QCOMPARE(config.filters, Pitwall::WatchFilters());
        QVERIFY(config.commands.isEmpty());
        QCOMPARE(config.statePath, u"/var/lib/pitwall/watch-state.json"_s);
        QCOMPARE(config.stateFlushInterval, 30s);
        QCOMPARE(config.maxRetryAttempts, 5);
        QCOMPARE(config.procRoot, u"/proc"_s);
        QVERIFY(config.cgroupRoot.isEmpty());
        QCOMPARE(config.cgroupBase, u"pitwall"_s);
        QCOMPARE(config.effectiveLimits(u"ffmpeg"_s), config.defaultLimits);
        QVERIFY(!config.commandFilters(u"ffmpeg"_s));
    }

    void guideExampleLoadsAsIs()
    {
        const WatchConfig config = loadOk(QStringLiteral(PITWALL_SOURCE_DIR)
                                          + u"/tests/data/watch-config.yaml"_s);
        QCOMPARE(config.scanInterval, 10s);
        QCOMPARE(config.targetCommands, (QStringList{u"ffmpeg"_s, u"gst-launch-1.0"_s}));
        QCOMPARE(config.defaultLimits, limits(200, 100, 4096));
        QCOMPARE(config.filters.minRuntime, 5s);
        QCOMPARE(config.filters.blockedDirs, QStringList{u"/tmp"_s});
        QCOMPARE(config.commands.keys(), QStringList{u"ffmpeg"_s});
        QCOMPARE(config.commands[u"ffmpeg"_s].limits, limits(300, std::nullopt, 8192));
        QCOMPARE(config.commandFilters(u"ffmpeg"_s)->minRuntime, 10s);
        QCOMPARE(config.effectiveLimits(u"ffmpeg"_s), limits(300, 100, 8192));
        QCOMPARE(config.effectiveLimits(u"gst-launch-1.0"_s), limits(200, 100, 4096));
    }

    void guideSnippetsLoadAsIs()
    {
        // "Recommended Production Settings" and "Prevent Discovery of Sensitive Processes".
        const WatchConfig heavy = loadOk(writeYaml("scan_interval: \"5s\"\n"
                                                   "default_limits:\n"
                                                   "  cpu_quota: 400\n"
                                                   "  memory_limit: 8192\n"));
        QCOMPARE(heavy.scanInterval, 5s);
        QCOMPARE(heavy.defaultLimits, limits(400, 100, 8192));
        const WatchConfig sensitive = loadOk(writeYaml("filters:\n"
                                                       "  blocked_uids:\n"
                                                       "    - 0  # Never discover root processes\n"
                                                       "  blocked_dirs:\n"
                                                       "    - /root\n"
                                                       "    - /etc\n"
                                                       "    - /usr/sbin\n"));
        QCOMPARE(sensitive.filters.blockedUids, QList<uint>{0});
        QCOMPARE(sensitive.filters.blockedDirs,
                 (QStringList{u"/root"_s, u"/etc"_s, u"/usr/sbin"_s}));
    }

    void everyKey()
    {
        const WatchConfig config = loadOk(writeYaml(R"(
scan_interval: 2s
target_commands: [ffmpeg, gst-launch-1.0, x264]
default_limits: {cpu_quota: 150, cpu_weight: 50, memory_limit: 1024, memory_high: 900}
filters:
  min_runtime: 1s
  max_runtime: 2h
  allowed_users: [alice, bob]
  blocked_users: [mallory]
  allowed_uids: [1000, 1001]
  blocked_uids: [0]
  allowed_parents: [1, 200]
  blocked_parents: [300]
  allowed_dirs: [/srv/jobs/, /opt//enc]
  blocked_dirs: [/tmp]
commands:
  x264:
    limits: {cpu_weight: 10, memory_high: 100}
    filters:
      min_runtime: 3s
      max_runtime: 1h
      allowed_users: [alice]
      blocked_users: [bob]
      allowed_uids: [1000]
      blocked_uids: [1001]
      allowed_parents: [1]
      blocked_parents: [200]
      allowed_dirs: [/srv/jobs/x264]
      blocked_dirs: [/srv/jobs/x264/tmp]
state_path: /var/lib/pw/state.json
state_flush_interval: 500ms
max_retry_attempts: 0
proc_root: /tmp/fakeproc
cgroup_root: /sys/fs/cgroup
cgroup_base: pitwall/watch
)"));
        QCOMPARE(config.scanInterval, 2s);
        QCOMPARE(config.targetCommands,
                 (QStringList{u"ffmpeg"_s, u"gst-launch-1.0"_s, u"x264"_s}));
        QCOMPARE(config.defaultLimits, limits(150, 50, 1024, 900));
        const Pitwall::WatchFilters &global = config.filters;
        QCOMPARE(global.minRuntime, 1s);
        QCOMPARE(global.maxRuntime, 2h);
        QCOMPARE(global.allowedUsers, (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(global.blockedUsers, QStringList{u"mallory"_s});
        QCOMPARE(global.allowedUids, (QList<uint>{1000, 1001}));
        QCOMPARE(global.blockedUids, QList<uint>{0});
        QCOMPARE(global.allowedParents, (QList<int>{1, 200}));
        QCOMPARE(global.blockedParents, QList<int>{300});
        QCOMPARE(global.allowedDirs, (QStringList{u"/srv/jobs"_s, u"/opt/enc"_s})); // cleaned
        QCOMPARE(global.blockedDirs, QStringList{u"/tmp"_s});

        const Pitwall::WatchFilters *x264 = config.commandFilters(u"x264"_s);
        QVERIFY(x264);
        QCOMPARE(x264->minRuntime, 3s);
        QCOMPARE(x264->maxRuntime, 1h);
        QCOMPARE(x264->allowedUsers, QStringList{u"alice"_s});
        QCOMPARE(x264->blockedUsers, QStringList{u"bob"_s});
        QCOMPARE(x264->allowedUids, QList<uint>{1000});
        QCOMPARE(x264->blockedUids, QList<uint>{1001});
        QCOMPARE(x264->allowedParents, QList<int>{1});
        QCOMPARE(x264->blockedParents, QList<int>{200});
        QCOMPARE(x264->allowedDirs, QStringList{u"/srv/jobs/x264"_s});
        QCOMPARE(x264->blockedDirs, QStringList{u"/srv/jobs/x264/tmp"_s});
        QCOMPARE(config.effectiveLimits(u"x264"_s), limits(150, 10, 1024, 100));

        QCOMPARE(config.statePath, u"/var/lib/pw/state.json"_s);
        QCOMPARE(config.stateFlushInterval, 500ms);
        QCOMPARE(config.maxRetryAttempts, 0);
        QCOMPARE(config.procRoot, u"/tmp/fakeproc"_s);
        QCOMPARE(config.cgroupRoot, u"/sys/fs/cgroup"_s);
        QCOMPARE(config.cgroupBase, u"pitwall/watch"_s);
    }

    void limitsInheritFieldByField()
    {
        const WatchConfig config = loadOk(writeYaml("default_limits:\n"
                                                    "  cpu_quota: 200\n"
                                                    "  memory_limit: 4096\n"
                                                    "commands:\n"
                                                    "  ffmpeg:\n"
                                                    "    limits:\n"
                                                    "      cpu_quota: 300\n"
                                                    "  gst-launch-1.0:\n"
                                                    "    limits:\n"
                                                    "      memory_limit: 512\n"
                                                    "      memory_high: 256\n"));
        QCOMPARE(config.effectiveLimits(u"ffmpeg"_s), limits(300, 100, 4096));
        QCOMPARE(config.effectiveLimits(u"gst-launch-1.0"_s), limits(200, 100, 512, 256));
        QCOMPARE(config.effectiveLimits(u"other"_s), limits(200, 100, 4096));
        // A command's own weight beats the built-in default as well.
        const WatchConfig weighted = loadOk(writeYaml("commands:\n"
                                                      "  ffmpeg: {limits: {cpu_weight: 7}}\n"));
        QCOMPARE(weighted.effectiveLimits(u"ffmpeg"_s), limits(std::nullopt, 7, std::nullopt));
    }

    void commandThatIsNoTargetIsOnlyAWarning()
    {
        QTest::ignoreMessage(QtWarningMsg,
                             "watch: commands.x264 is configured but x264 is not a target command");
        const WatchConfig config = loadOk(writeYaml("commands:\n  x264:\n    limits: {cpu_quota: 50}\n"));
        QCOMPARE(config.effectiveLimits(u"x264"_s), limits(50, 100, std::nullopt));
    }

    void unknownKeysAreRefusedWithPathAndLine_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("top level") << QByteArray("scan_interval: 10s\nscan_intervall: 5s\n")
                                   << u"scan_intervall: unknown key (watch-config.yaml line 2)"_s;
        QTest::newRow("default_limits")
            << QByteArray("default_limits:\n  cpu_quota: 200\n  cpu_quot: 300\n")
            << u"default_limits.cpu_quot: unknown key (watch-config.yaml line 3)"_s;
        QTest::newRow("filters") << QByteArray("scan_interval: \"10s\"\n\ntarget_commands:\n"
                                               "  - ffmpeg\n\nfilters:\n  blocked_dir:\n"
                                               "    - /tmp\n")
                                 << u"filters.blocked_dir: unknown key (watch-config.yaml line 7)"_s;
        QTest::newRow("command") << QByteArray("commands:\n  ffmpeg:\n    limit: {cpu_quota: 1}\n")
                                 << u"commands.ffmpeg.limit: unknown key (watch-config.yaml line 3)"_s;
        QTest::newRow("command limits")
            << QByteArray("commands:\n  ffmpeg:\n    limits:\n      cpu: 1\n")
            << u"commands.ffmpeg.limits.cpu: unknown key (watch-config.yaml line 4)"_s;
        QTest::newRow("command filters")
            << QByteArray("commands:\n  ffmpeg:\n    filters:\n      min_runtim: 1s\n")
            << u"commands.ffmpeg.filters.min_runtim: unknown key (watch-config.yaml line 4)"_s;
        // The Ansible template's keys that the reference silently dropped.
        QTest::newRow("ansible") << QByteArray("cpu_quota: 200\n")
                                 << u"cpu_quota: unknown key (watch-config.yaml line 1)"_s;
    }

    void unknownKeysAreRefusedWithPathAndLine()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        QCOMPARE(loadError(writeYaml(yaml)), error);
    }

    void badValuesAreRefusedWithKeyValueAndRule_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const char *yaml, const QString &error) {
            QTest::newRow(name) << QByteArray(yaml) << error;
        };
        row("duration suffix", "scan_interval: 10x\n",
            uR"(scan_interval="10x": must be a duration such as 500ms, 30s, 5m or 1h, between 100ms and 24h (watch-config.yaml line 1))"_s);
        row("bare number", "filters:\n  min_runtime: 5\n",
            uR"(filters.min_runtime="5": must be a duration such as 500ms, 30s, 5m or 1h, between 0s and 8760h (watch-config.yaml line 2))"_s);
        row("negative duration", "filters:\n  max_runtime: -1s\n",
            uR"(filters.max_runtime="-1s": must be a duration such as 500ms, 30s, 5m or 1h, between 0s and 8760h (watch-config.yaml line 2))"_s);
        row("zero interval", "scan_interval: 0s\n",
            uR"(scan_interval="0s": must be between 100ms and 24h (watch-config.yaml line 1))"_s);
        row("weight 0", "default_limits:\n  cpu_weight: 0\n",
            uR"(default_limits.cpu_weight="0": cpu_weight must be between 1 and 10000 (got 0) (watch-config.yaml line 2))"_s);
        row("weight 10001", "commands:\n  ffmpeg:\n    limits:\n      cpu_weight: 10001\n",
            uR"(commands.ffmpeg.limits.cpu_weight="10001": cpu_weight must be between 1 and 10000 (got 10001) (watch-config.yaml line 4))"_s);
        row("quota 0", "default_limits: {cpu_quota: 0}\n",
            uR"(default_limits.cpu_quota="0": cpu_quota must be between 1 and 100000 (got 0) (watch-config.yaml line 1))"_s);
        row("memory text", "default_limits:\n  memory_limit: 4GB\n",
            uR"(default_limits.memory_limit="4GB": must be a whole number (watch-config.yaml line 2))"_s);
        row("retries", "max_retry_attempts: 101\n",
            uR"(max_retry_attempts="101": must be a whole number between 0 and 100 (watch-config.yaml line 1))"_s);
        row("uid item", "filters:\n  blocked_uids:\n    - 0\n    - -1\n",
            uR"(filters.blocked_uids[1]="-1": must be a whole number between 0 and 4294967294 (watch-config.yaml line 4))"_s);
        row("parent 0", "filters:\n  allowed_parents: [0]\n",
            uR"(filters.allowed_parents[0]="0": must be a whole number between 1 and 4194304 (watch-config.yaml line 2))"_s);
        row("relative dir", "filters:\n  blocked_dirs:\n    - tmp\n",
            uR"(filters.blocked_dirs[0]="tmp": must be an absolute path (watch-config.yaml line 3))"_s);
        row("dir as scalar", "filters:\n  blocked_dirs: /tmp\n",
            u"filters.blocked_dirs: must be a list of values (watch-config.yaml line 2)"_s);
        row("targets as scalar", "target_commands: ffmpeg\n",
            u"target_commands: must be a list of values (watch-config.yaml line 1)"_s);
        row("no targets", "target_commands: []\n",
            uR"(target_commands="": must name at least one command (watch-config.yaml line 1))"_s);
        row("target with path", "target_commands: [ffmpeg, ../bin/sh]\n",
            uR"(target_commands[1]="../bin/sh": must be an executable file name: 1..64 characters of A-Z a-z 0-9 . _ + -, not starting with . or - (watch-config.yaml line 1))"_s);
        row("command name", "commands:\n  ../x: {}\n",
            u"commands.../x: must be an executable file name: 1..64 characters of A-Z a-z 0-9 . _ + -, not starting with . or - (watch-config.yaml line 2)"_s);
        row("limits not a map", "default_limits: 5\n",
            u"default_limits: must be a mapping of keys (watch-config.yaml line 1)"_s);
        row("scalar as list", "scan_interval: [1s]\n",
            u"scan_interval: must be a single value (watch-config.yaml line 1)"_s);
        row("empty scalar", "state_path:\n",
            u"state_path: has no value (watch-config.yaml line 1)"_s);
        row("relative state path", "state_path: state.json\n",
            uR"(state_path="state.json": must be an absolute path (watch-config.yaml line 1))"_s);
        row("relative proc root", "proc_root: proc\n",
            uR"(proc_root="proc": must be an absolute path (watch-config.yaml line 1))"_s);
        row("cgroup base escape", "cgroup_base: ../../etc\n",
            uR"(cgroup_base="../../etc": must be a relative cgroup path such as pitwall or pitwall/watch (components of A-Z a-z 0-9 . _ -, not starting with .) (watch-config.yaml line 1))"_s);
        row("user with space", "filters: {allowed_users: [\"a b\"]}\n",
            uR"(filters.allowed_users[0]="a b": must be a user name (no spaces, ':' or '/') (watch-config.yaml line 1))"_s);
        row("duplicate key", "scan_interval: 1s\nscan_interval: 2s\n",
            u"scan_interval: appears more than once (watch-config.yaml line 2)"_s);
        row("min above max", "filters:\n  min_runtime: 1h\n  max_runtime: 30m\n",
            uR"(filters.min_runtime="1h": must not exceed filters.max_runtime (30m) (watch-config.yaml line 2))"_s);
        row("min above global max",
            "filters: {max_runtime: 1m}\ncommands:\n  ffmpeg:\n    filters:\n      min_runtime: 2m\n",
            uR"(commands.ffmpeg.filters.min_runtime="2m": must not exceed filters.max_runtime (1m) (watch-config.yaml line 5))"_s);
        row("not a mapping", "- ffmpeg\n", u"must be a mapping of settings"_s);
        row("syntax", "filters: [\n", u"not valid YAML at line"_s);
    }

    void badValuesAreRefusedWithKeyValueAndRule()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        const QString actual = loadError(writeYaml(yaml));
        if (error.contains(u'('))
            QCOMPARE(actual, error);
        else
            QVERIFY2(actual.contains(error), qPrintable(actual));
    }

    void unreadableFile()
    {
        const QString missing = m_dir.filePath(u"missing.yaml"_s);
        QCOMPARE(loadError(missing), missing + u": cannot be read"_s);
    }

    void emptyFileAndNullSectionsKeepDefaults()
    {
        QCOMPARE(loadOk(writeYaml("")), loadOk(QString()));
        const WatchConfig config = loadOk(writeYaml("filters:\n  blocked_dirs:\ncommands:\n"));
        QVERIFY(config.filters.blockedDirs.isEmpty());
        QVERIFY(config.commands.isEmpty());
        QCOMPARE(loadOk(writeYaml("cgroup_root: \"\"\n")).cgroupRoot, QString());
    }

    void environmentOverridesYaml()
    {
        const QString yaml = writeYaml("scan_interval: 5s\n"
                                       "target_commands: [ffmpeg]\n"
                                       "state_flush_interval: 10s\n"
                                       "max_retry_attempts: 3\n"
                                       "state_path: /srv/yaml-state.json\n");
        const WatchConfig fromYaml = loadOk(yaml);
        QCOMPARE(fromYaml.scanInterval, 5s);
        QCOMPARE(fromYaml.targetCommands, QStringList{u"ffmpeg"_s});
        QCOMPARE(fromYaml.stateFlushInterval, 10s);
        QCOMPARE(fromYaml.maxRetryAttempts, 3);
        QCOMPARE(fromYaml.statePath, u"/srv/yaml-state.json"_s);

        const auto env = environment({{u"SCAN_INTERVAL"_s, u"2s"_s},
                                      {u"TARGET_COMMANDS"_s, u"gst-launch-1.0, ffmpeg,,x264"_s},
                                      {u"STATE_FLUSH_INTERVAL"_s, u"1s"_s},
                                      {u"MAX_RETRY_ATTEMPTS"_s, u"7"_s},
                                      {u"STATE_PATH"_s, u"/srv/env-state.json"_s}});
        const WatchConfig overridden = loadOk(yaml, env);
        QCOMPARE(overridden.scanInterval, 2s);
        QCOMPARE(overridden.targetCommands,
                 (QStringList{u"gst-launch-1.0"_s, u"ffmpeg"_s, u"x264"_s}));
        QCOMPARE(overridden.stateFlushInterval, 1s);
        QCOMPARE(overridden.maxRetryAttempts, 7);
        QCOMPARE(overridden.statePath, u"/srv/env-state.json"_s);

        // Without a file the environment applies over the defaults; empty values are unset.
        const WatchConfig envOnly = loadOk(QString(), environment({{u"SCAN_INTERVAL"_s, u"30s"_s},
                                                                   {u"STATE_PATH"_s, u""_s}}));
        QCOMPARE(envOnly.scanInterval, 30s);
        QCOMPARE(envOnly.statePath, u"/var/lib/pitwall/watch-state.json"_s);
        QCOMPARE(envOnly.maxRetryAttempts, 5);
    }

    void badEnvironmentIsRefusedByName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error");
        QTest::newRow("interval") << u"SCAN_INTERVAL"_s << u"10"_s
                                  << uR"(SCAN_INTERVAL="10": must be a duration such as 500ms, 30s, 5m or 1h, between 100ms and 24h (environment))"_s;
        QTest::newRow("targets") << u"TARGET_COMMANDS"_s << u"ffmpeg,/bin/sh"_s
                                 << uR"(TARGET_COMMANDS="ffmpeg,/bin/sh": must be an executable file name: 1..64 characters of A-Z a-z 0-9 . _ + -, not starting with . or - (environment))"_s;
        QTest::newRow("flush") << u"STATE_FLUSH_INTERVAL"_s << u"2h"_s
                               << uR"(STATE_FLUSH_INTERVAL="2h": must be between 100ms and 1h (environment))"_s;
        QTest::newRow("retries") << u"MAX_RETRY_ATTEMPTS"_s << u"-1"_s
                                 << uR"(MAX_RETRY_ATTEMPTS="-1": must be a whole number between 0 and 100 (environment))"_s;
        QTest::newRow("state path") << u"STATE_PATH"_s << u"state.json"_s
                                    << uR"(STATE_PATH="state.json": must be an absolute path (environment))"_s;
    }

    void badEnvironmentIsRefusedByName()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, error);
        QCOMPARE(loadError(QString(), environment({{name, value}})), error);
    }
};

QTEST_GUILESS_MAIN(WatchConfigTest)
#include "watchconfig.moc"
