#include "core/config/configloader.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Pitwall::AppConfig;
using Pitwall::ConfigLoader;
using Pitwall::ConfigSources;

class ConfigLoaderTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeYaml(const QByteArray &content)
    {
        static int counter = 0;
        const QString path = m_dir.filePath(u"config%1.yaml"_s.arg(++counter));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write test config");
        return path;
    }

    static QProcessEnvironment env(std::initializer_list<std::pair<QString, QString>> vars)
    {
        QProcessEnvironment environment;
        for (const auto &[name, value] : vars)
            environment.insert(name, value);
        return environment;
    }

    static std::optional<Pitwall::ConfigError> load(const ConfigSources &sources,
                                                    AppConfig &config)
    {
        config = ConfigLoader::defaults();
        return ConfigLoader().load(sources, config);
    }

private slots:
    void defaultsApplyWithNoSources()
    {
        AppConfig config;
        QVERIFY(!load({}, config));
        QCOMPARE(config.bindEndpoint(), u"127.0.0.1:8080"_s);
        QCOMPARE(config.logLevel, Pitwall::LogLevel::Info);
        QCOMPARE(config.logFormat, Pitwall::LogFormat::Text);
        QVERIFY(config.databaseUrl.isEmpty());
        QVERIFY(!config.nodeId.isEmpty());
        QCOMPARE(config.httpRequestTimeout, 30s);
    }

    void precedenceDefaultsYamlEnvCommandLine()
    {
        const QString yaml = writeYaml("bind_addr: 127.0.0.1:9001\n"
                                       "log_level: debug\n"
                                       "log_format: json\n"
                                       "http:\n  request_timeout: 45s\n");
        AppConfig config;
        ConfigSources sources;
        sources.yamlFile = yaml;
        QVERIFY(!load(sources, config));
        QCOMPARE(config.bindPort, 9001);
        QCOMPARE(config.logLevel, Pitwall::LogLevel::Debug);
        QCOMPARE(config.httpRequestTimeout, 45s);

        sources.environment = env({{u"BIND_ADDR"_s, u"0.0.0.0:9002"_s},
                                   {u"LOG_LEVEL"_s, u"warn"_s}});
        QVERIFY(!load(sources, config));
        QCOMPARE(config.bindEndpoint(), u"0.0.0.0:9002"_s);
        QCOMPARE(config.logLevel, Pitwall::LogLevel::Warn);
        QCOMPARE(config.logFormat, Pitwall::LogFormat::Json); // YAML value survives

        sources.commandLine = {{u"bind"_s, u"[::1]:9003"_s}};
        QVERIFY(!load(sources, config));
        QCOMPARE(config.bindEndpoint(), u"[::1]:9003"_s);
        QCOMPARE(config.logLevel, Pitwall::LogLevel::Warn);
    }

    void aliasesAndTheirOrder()
    {
        AppConfig config;
        ConfigSources sources;
        sources.environment = env({{u"HTTP_ADDR"_s, u":7000"_s}});
        QVERIFY(!load(sources, config));
        QCOMPARE(config.bindAddress, QHostAddress(QHostAddress::Any));
        QCOMPARE(config.bindPort, 7000);

        sources.environment = env({{u"HTTP_ADDR"_s, u":7000"_s}, {u"BIND_ADDR"_s, u":7001"_s}});
        QVERIFY(!load(sources, config));
        QCOMPARE(config.bindPort, 7001);

        sources.environment = env({{u"DB_DSN"_s, u"postgres://a@db:5432/x"_s}});
        QVERIFY(!load(sources, config));
        QCOMPARE(config.databaseUrl, u"postgres://a@db:5432/x"_s);

        sources.environment = env({{u"DB_DSN"_s, u"postgres://a@db:5432/x"_s},
                                   {u"DATABASE_URL"_s, u"postgres://b@db:5432/y"_s}});
        QVERIFY(!load(sources, config));
        QCOMPARE(config.databaseUrl, u"postgres://b@db:5432/y"_s);
    }

    void emptyEnvironmentValueCountsAsUnset()
    {
        AppConfig config;
        ConfigSources sources;
        sources.environment = env({{u"LOG_LEVEL"_s, QString()}});
        QVERIFY(!load(sources, config));
        QCOMPARE(config.logLevel, Pitwall::LogLevel::Info);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QString>("cliOption");
        QTest::addColumn<QString>("cliValue");
        QTest::addColumn<QString>("expected");

        auto yamlRow = [](const char *name, const QByteArray &yaml, const QString &expected) {
            QTest::newRow(name) << yaml << QString() << QString() << QString() << QString()
                                << expected;
        };
        auto envRow = [](const char *name, const QString &var, const QString &value,
                         const QString &expected) {
            QTest::newRow(name) << QByteArray() << var << value << QString() << QString()
                                << expected;
        };
        yamlRow("unknown key", "bind_adr: 1.2.3.4:80\n",
                u"bind_adr=\"1.2.3.4:80\" ({file} line 1): unknown key"_s);
        yamlRow("unknown nested key", "http:\n  request_timeot: 5s\n",
                u"http.request_timeot=\"5s\" ({file} line 2): unknown key"_s);
        yamlRow("bad duration", "http:\n  request_timeout: 10x\n",
                u"http.request_timeout=\"10x\" ({file} line 2): must be a duration such as 500ms, "
                "30s, 5m or 1h, between 1s and 10m"_s);
        yamlRow("duration out of range", "shutdown_timeout: 2h\n",
                u"shutdown_timeout=\"2h\" ({file} line 1): must be between 1s and 10m"_s);
        yamlRow("number out of range", "http:\n  max_body_bytes: 12\n",
                u"http.max_body_bytes=\"12\" ({file} line 2): must be a whole number between 1024 "
                "and 1073741824"_s);
        yamlRow("empty value", "log_level:\n", u"log_level=\"\" ({file} line 1): has no value"_s);
        yamlRow("list of maps", "log_level:\n  - a: 1\n",
                u"log_level=\"\" ({file}): must be a value or a list of values"_s);
        yamlRow("secret hidden", "admin_token: short\n",
                u"admin_token=\"***\" ({file} line 1): must be at least 16 characters (or unset for "
                "loopback-only admin)"_s);
        yamlRow("not a mapping", "- a\n- b\n", u"--config=\"{path}\" (command line): must be a "
                                              "mapping of settings"_s);
        yamlRow("broken yaml", "a: [1, 2\n", u"--config=\"{path}\" (command line): not valid YAML"_s);

        envRow("bad level", u"LOG_LEVEL"_s, u"loud"_s,
               u"LOG_LEVEL=\"loud\" (environment): must be one of trace, debug, info, warn, error"_s);
        envRow("bad format", u"LOG_FORMAT"_s, u"xml"_s,
               u"LOG_FORMAT=\"xml\" (environment): must be text or json"_s);
        envRow("bad port", u"BIND_ADDR"_s, u"127.0.0.1:70000"_s,
               u"BIND_ADDR=\"127.0.0.1:70000\" (environment): must be HOST:PORT"_s);
        envRow("host name", u"HTTP_ADDR"_s, u"example.org:80"_s,
               u"HTTP_ADDR=\"example.org:80\" (environment): must be HOST:PORT"_s);
        envRow("bad node id", u"NODE_ID"_s, u"a b"_s,
               u"NODE_ID=\"a b\" (environment): must be 1..64 characters"_s);
        envRow("database scheme", u"DATABASE_URL"_s, u"mysql://root:hunter2@db/x"_s,
               u"DATABASE_URL=\"***\" (environment): "_s);
        envRow("busy timeout", u"DATABASE_BUSY_TIMEOUT"_s, u"5"_s,
               u"DATABASE_BUSY_TIMEOUT=\"5\" (environment): must be a duration"_s);

        QTest::newRow("cli bind") << QByteArray() << QString() << QString() << u"bind"_s
                                  << u"nope"_s << u"--bind=\"nope\" (command line): must be HOST:PORT"_s;
        QTest::newRow("cli level") << QByteArray() << QString() << QString() << u"log-level"_s
                                   << u"verbose"_s
                                   << u"--log-level=\"verbose\" (command line): must be one of"_s;
    }

    void refusals()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, cliOption);
        QFETCH(QString, cliValue);
        QFETCH(QString, expected);

        ConfigSources sources;
        if (!yaml.isEmpty())
            sources.yamlFile = writeYaml(yaml);
        if (!envName.isEmpty())
            sources.environment = env({{envName, envValue}});
        if (!cliOption.isEmpty())
            sources.commandLine = {{cliOption, cliValue}};

        AppConfig config;
        const auto error = load(sources, config);
        QVERIFY(error.has_value());
        const QString line = error->toString();
        const QString want = u"configuration error: "_s
            + QString(expected)
                  .replace(u"{file}"_s, QFileInfo(sources.yamlFile).fileName())
                  .replace(u"{path}"_s, sources.yamlFile);
        QVERIFY2(line.startsWith(want), qPrintable(line + u"\n  expected prefix: "_s + want));
        QVERIFY(!line.contains(u'\n'));
        QVERIFY2(!line.contains(u"hunter2"_s), qPrintable(line));
    }

    void missingConfigFileIsNamed()
    {
        ConfigSources sources;
        sources.yamlFile = m_dir.filePath(u"absent.yaml"_s);
        AppConfig config;
        const auto error = load(sources, config);
        QVERIFY(error.has_value());
        QCOMPARE(error->key, u"--config"_s);
        QCOMPARE(error->value, sources.yamlFile);
        QCOMPARE(error->rule, u"file cannot be read"_s);
    }

    void dashboardDirMustHoldIndexHtml()
    {
        AppConfig config;
        QVERIFY(!load({}, config));
        QVERIFY(config.dashboardDir.isEmpty());

        const QString build = m_dir.filePath(u"dashboard-build"_s);
        QVERIFY(QDir().mkpath(build));
        const QString rule = u"must be an existing directory containing index.html"_s;
        const QStringList refused{m_dir.filePath(u"absent"_s), build, writeYaml("not a dir")};
        for (const QString &value : refused) {
            ConfigSources sources;
            sources.environment = env({{u"DASHBOARD_DIR"_s, value}});
            const auto error = load(sources, config);
            QVERIFY2(error.has_value(), qPrintable(value));
            QCOMPARE(error->key, u"DASHBOARD_DIR"_s);
            QCOMPARE(error->value, value);
            QCOMPARE(error->rule, rule);
        }

        QFile index(build + u"/index.html"_s);
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.close();
        ConfigSources sources;
        sources.yamlFile = writeYaml("dashboard_dir: " + build.toUtf8() + "/\n");
        QVERIFY(!load(sources, config));
        QCOMPARE(config.dashboardDir, build);
    }

    void yamlListsBecomeCommaText()
    {
        // Engines' list settings (e.g. target commands) take YAML lists and comma env values
        // through the same parser; check the flattening with a throwaway key.
        QString seen;
        ConfigLoader loader;
        loader.addKeys({{u"list_key"_s, {}, QString(), false,
                         [&seen](AppConfig &, const QString &value) -> std::optional<QString> {
                             seen = value;
                             return std::nullopt;
                         }}});
        ConfigSources sources;
        sources.yamlFile = writeYaml("list_key:\n  - ffmpeg\n  - gst-launch-1.0\n");
        AppConfig config = ConfigLoader::defaults();
        QVERIFY(!loader.load(sources, config));
        QCOMPARE(seen, u"ffmpeg,gst-launch-1.0"_s);
    }
};

QTEST_GUILESS_MAIN(ConfigLoaderTest)
#include "configloader.moc"
