#include "core/db/databasesettings.h"
#include "core/db/migrationrunner.h"
#include "core/metrics/metricsregistry.h"
#include "vod/vodcomponent.h"
#include "vod/vodconfigkeys.h"
#include "vod/vodconfigreload.h"
#include "vod/vodengine.h"

#include "httptestserver.h"
#include "testdatabase.h"

#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// VodEngine::reload() reads the configuration's sources again (here a YAML file that changes
// between start and reload): channels come and go, a pipeline takes the new breaker threshold,
// and what needs a restart (DATA_DIR, DATABASE_URL) is reported but not applied.
class VodReloadTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void channelsAndThresholdsApplyLive();
    void restartOnlySettingsAreNotApplied();
    void refusedConfigurationKeepsTheOldOne();

private:
    void writeYaml(const QByteArray &vodSection);
    AppConfig load();

    std::unique_ptr<TestDatabase> m_testDb;
    ConfigSources m_sources;
    QString m_yaml;
};

void VodReloadTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_yaml = m_testDb->scratchDir() + u"/pitwall.yaml"_s;
    m_sources.yamlFile = m_yaml;
    m_sources.environment.insert(u"PITWALL_DATA_DIR"_s, m_testDb->scratchDir());
    m_sources.environment.insert(u"DATABASE_URL"_s, m_testDb->url());
}

void VodReloadTest::cleanup()
{
    m_testDb.reset();
    m_sources = {};
}

void VodReloadTest::writeYaml(const QByteArray &vodSection)
{
    QFile file(m_yaml);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("vod:\n" + vodSection);
}

AppConfig VodReloadTest::load()
{
    ConfigError error;
    const std::optional<AppConfig> config = loadAppConfig(m_sources, &error);
    if (!config)
        qFatal("configuration refused: %s", qPrintable(error.toString()));
    return *config;
}

void VodReloadTest::channelsAndThresholdsApplyLive()
{
    writeYaml("  channels: [alice, carol]\n  circuit_failure_threshold: 0\n");
    const AppConfig config = load();
    HttpTestServer http;
    MetricsRegistry metrics;
    VodEngine engine(m_testDb->database(), http.router(), metrics, config.vod, u"node"_s);
    const auto component = std::dynamic_pointer_cast<VodComponent>(engine.component());
    QVERIFY(component);
    engine.start();
    QTRY_VERIFY(component->channel(u"alice"_s) && component->channel(u"carol"_s));
    QVERIFY(!component->channel(u"alice"_s)->circuitEnabled);

    writeYaml("  channels: [alice, bob]\n  circuit_failure_threshold: 3\n");
    QSignalSpy channels(&engine, &VodEngine::channelsChanged);
    engine.reload();
    QCOMPARE(channels.size(), 1);
    QCOMPARE(channels.at(0).at(0).toStringList(), (QStringList{u"alice"_s, u"bob"_s}));
    QTRY_VERIFY(component->channel(u"bob"_s));
    QVERIFY(!component->channel(u"carol"_s));
    // alice's pipeline kept running and took the new threshold.
    QTRY_VERIFY(component->channel(u"alice"_s)->circuitEnabled);
    QCOMPARE(engine.config().queue.circuitFailureThreshold, 3);
    engine.stop();
}

void VodReloadTest::restartOnlySettingsAreNotApplied()
{
    writeYaml("  channels: [alice]\n  process_interval: 1m\n");
    AppConfig running = load();
    writeYaml("  channels: [alice]\n  process_interval: 2m\n  data_dir: elsewhere\n");
    AppConfig next = load();
    next.databaseUrl = u"sqlite:///other.db"_s;
    QString error;
    const auto settings = DatabaseSettings::parse(running.databaseUrl, running.dataDir, &error);
    QVERIFY2(settings, qPrintable(error));
    const QString dataDir = running.vod.download.dataDir;
    const VodConfigReload::Result result = VodConfigReload::apply(running.vod, *settings, next);
    QCOMPARE(result.applied, QStringList{u"VOD_PROCESS_INTERVAL"_s});
    QCOMPARE(result.needsRestart, (QStringList{u"DATABASE_URL"_s, u"DATA_DIR"_s}));
    QVERIFY(!result.channelsChanged);
    QCOMPARE(running.vod.queue.processInterval, std::chrono::milliseconds(std::chrono::minutes(2)));
    QCOMPARE(running.vod.download.dataDir, dataDir);
}

void VodReloadTest::refusedConfigurationKeepsTheOldOne()
{
    writeYaml("  channels: [alice]\n  circuit_failure_threshold: 2\n");
    VodConfig running = load().vod;
    writeYaml("  channels: [alice, bob]\n  circuit_failure_threshold: many\n");
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"VOD configuration not reloaded"_s));
    QVERIFY(!VodConfigReload::reread(running, m_testDb->database().settings()));
    QCOMPARE(running.queue.channelList(), QStringList{u"alice"_s});
    QCOMPARE(running.queue.circuitFailureThreshold, 2);
}

QTEST_GUILESS_MAIN(VodReloadTest)
#include "vodreload.moc"
