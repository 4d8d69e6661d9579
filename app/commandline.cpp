#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

struct SettingOption
{
    QString name;
    QString valueName;
    const char *description;
};

// Each long name equals a ConfigKey::cliOption in the loader's tables.
const SettingOption settingOptions[] = {
    {u"data-dir"_s, u"DIR"_s, QT_TRANSLATE_NOOP("CommandLine", "Directory for the database and state files.")},
    {u"bind"_s, u"ADDR:PORT"_s, QT_TRANSLATE_NOOP("CommandLine", "HTTP/WebSocket listen address (BIND_ADDR).")},
    {u"log-level"_s, u"LEVEL"_s, QT_TRANSLATE_NOOP("CommandLine", "trace, debug, info, warn or error (LOG_LEVEL).")},
    {u"log-format"_s, u"FORMAT"_s, QT_TRANSLATE_NOOP("CommandLine", "text or json (LOG_FORMAT).")},
    {u"watch-config"_s, u"FILE"_s, QT_TRANSLATE_NOOP("CommandLine", "Run the watch scanner with this watch-config.yaml (WATCH_CONFIG).")},
    {u"database-url"_s, u"URL"_s, QT_TRANSLATE_NOOP("CommandLine", "postgres://user:pass@host:port/db; default SQLite in the data dir (DATABASE_URL).")},
};

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "pitwall: %s\nTry 'pitwall --help'.\n", qPrintable(message));
    std::exit(2);
}

} // namespace

bool runsHeadless(int argc, char **argv)
{
#ifdef PITWALL_WITH_GUI
    for (int i = 1; i < argc; ++i) {
        for (const char *option : {"--daemon", "-d", "--help", "-h", "--help-all", "-?",
                                   "--version", "-v"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
#else
    Q_UNUSED(argc)
    Q_UNUSED(argv)
    return true; // a headless build has nothing else to run
#endif
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "CommandLine", "Pitwall: VOD queue, timing relay and transcoder governor in one console."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption daemon({u"d"_s, u"daemon"_s},
        QCoreApplication::translate("CommandLine", "Run headless: no window, no display needed."));
    const QCommandLineOption config(u"config"_s,
        QCoreApplication::translate("CommandLine", "YAML configuration file."), u"FILE"_s);
    parser.addOption(daemon);
    parser.addOption(config);
    for (const SettingOption &option : settingOptions)
        parser.addOption(QCommandLineOption(option.name,
            QCoreApplication::translate("CommandLine", option.description), option.valueName));

    if (!parser.parse(arguments))
        usageError(parser.errorText());
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (parser.isSet(u"version"_s))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().constFirst()));

    CommandLine result;
    result.daemon = parser.isSet(daemon);
    result.config.yamlFile = parser.value(config);
    for (const SettingOption &option : settingOptions) {
        if (parser.isSet(option.name))
            result.config.commandLine.insert(option.name, parser.value(option.name));
    }
    return result;
}
