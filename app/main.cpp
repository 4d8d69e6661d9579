#include "addengines.h"
#include "commandline.h"

#include "core/config/configloader.h"
#include "core/db/databasesettings.h"
#include "core/enginehost.h"
#include "core/log/logcategories.h"
#include "core/log/logring.h"
#include "core/log/logsink.h"
#include "core/unixsignalwatcher.h"
#include "vod/vodconfigkeys.h"
#include "watch/watchconfig.h"

#ifdef PITWALL_WITH_GUI
#include "consolesettings.h"
#include "mainwindow.h"
#include "relay/relaypanels.h"
#include "translations.h"
#include "vod/vodpanels.h"
#include <QApplication>
#endif

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv, bool headless)
{
#ifdef PITWALL_WITH_GUI
    if (!headless)
        return std::make_unique<QApplication>(argc, argv);
#else
    Q_UNUSED(headless)
#endif
    return std::make_unique<QCoreApplication>(argc, argv);
}

#ifdef PITWALL_WITH_GUI
// Desktop only, when neither the command line, the environment nor the config file names a watch
// config: the console's settings may switch the watch scanner on. A file that no longer loads
// leaves it off rather than keeping the console from starting.
std::optional<WatchConfig> consoleWatchConfig(AppConfig &config, const QProcessEnvironment &env)
{
    const QString file = ConsoleSettings().enabledWatchConfigFile();
    if (file.isEmpty())
        return std::nullopt;
    QString error;
    auto watchConfig = WatchConfig::load(file, env, config.dataDir, &error);
    if (!watchConfig) {
        qCWarning(lcCore).noquote() << "watch scanner off: the console settings name" << file
                                    << "which does not load:" << error;
        return std::nullopt;
    }
    qCInfo(lcCore).noquote() << "watch config from the console settings:" << file;
    config.watchConfigFile = file;
    return watchConfig;
}
#endif

void registerSecrets(const AppConfig &config)
{
    for (const QString &secret : {config.adminToken, config.adminPassword,
                                  config.vod.chat.oauthToken, config.vod.helix.clientSecret,
                                  config.vod.upload.clientSecret,
                                  QString::fromLatin1(config.vod.upload.encryptionKey.toBase64())})
        LogSink::addSecret(secret);
    QString ignored;
    if (const auto settings = DatabaseSettings::parse(config.databaseUrl, config.dataDir, &ignored))
        LogSink::addSecret(settings->password());
}

int runEngine(QCoreApplication &app, const AppConfig &config,
              const std::optional<WatchConfig> &watchConfig, LogRing &ring, bool headless)
{
    // Installed before anything starts: a SIGTERM during start-up waits in the watcher's pipe
    // until the event loop runs, instead of killing the process with the default action.
    UnixSignalWatcher signalWatcher({SIGTERM, SIGINT, SIGHUP});
    EngineHost host(config, &ring);
    QString error;
    if (!startEngines(host, config, watchConfig, headless, &error)) {
        qCCritical(lcCore).noquote() << "cannot start:" << error;
        return 1;
    }

    int exitCode = 0;
    QObject::connect(&host, &EngineHost::fatalError, &app, [&](const QString &message) {
        qCCritical(lcCore).noquote() << message;
        exitCode = 1;
        app.quit();
    });
    QObject::connect(&signalWatcher, &UnixSignalWatcher::received, &app, [&](int signalNumber) {
        if (signalNumber == SIGHUP) {
            qCInfo(lcCore) << "received SIGHUP, reloading engine configuration";
            host.reloadEngines();
            return;
        }
        qCInfo(lcCore).noquote() << u"received %1, shutting down"_s
                                        .arg(signalNumber == SIGTERM ? u"SIGTERM"_s : u"SIGINT"_s);
        app.quit();
    });

#ifdef PITWALL_WITH_GUI
    std::unique_ptr<MainWindow> window;
    if (!headless) {
        window = std::make_unique<MainWindow>(host);
        // Before the first show, which restores the saved layout of every panel.
        addRelayPanels(*window, host);
        addVodPanels(*window, host);
        window->show();
    }
#else
    Q_UNUSED(headless)
#endif
    app.exec();
    host.stop();
    return exitCode;
}

} // namespace

int main(int argc, char *argv[])
{
    const bool headless = runsHeadless(argc, argv);
    const auto app = createApplication(argc, argv, headless);
    QCoreApplication::setApplicationName(u"pitwall"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(PITWALL_VERSION));
#ifdef PITWALL_WITH_GUI
    if (!headless) {
        // The id of installer/org.pitwall.Pitwall.desktop: desktops match the window to it.
        QGuiApplication::setDesktopFileName(u"org.pitwall.Pitwall"_s);
        // The language: PITWALL_LANG, else the Settings dialog's choice, else the system's.
        installTranslations(*app);
    }
#endif

    CommandLine commandLine = parseCommandLine(app->arguments());
    commandLine.config.environment = QProcessEnvironment::systemEnvironment();
    ConfigError refused;
    std::optional<AppConfig> loaded = loadAppConfig(commandLine.config, &refused);
    if (!loaded) {
        std::fprintf(stderr, "pitwall: %s\n", qPrintable(refused.toString()));
        return 2;
    }
    AppConfig config = std::move(*loaded);

    std::optional<WatchConfig> watchConfig;
    if (!config.watchConfigFile.isEmpty()) {
        QString error;
        watchConfig = WatchConfig::load(config.watchConfigFile, commandLine.config.environment,
                                        config.dataDir, &error);
        if (!watchConfig) {
            std::fprintf(stderr, "pitwall: configuration error: %s\n", qPrintable(error));
            return 2;
        }
    }

    LogRing ring;
    LogSink::install({config.logLevel, config.logFormat, &ring});
    registerSecrets(config);
    qCInfo(lcCore).noquote() << u"Pitwall %1 starting (%2), data dir %3"_s.arg(
        QCoreApplication::applicationVersion(), headless ? u"daemon"_s : u"desktop"_s,
        config.dataDir);
    if (watchConfig) {
        qCInfo(lcCore).noquote() << "watch config from the command line or configuration:"
                                 << config.watchConfigFile;
    }
#ifdef PITWALL_WITH_GUI
    if (!watchConfig && !headless)
        watchConfig = consoleWatchConfig(config, commandLine.config.environment);
#endif
    const int exitCode = runEngine(*app, config, watchConfig, ring, headless);
    LogSink::uninstall();
    return exitCode;
}
