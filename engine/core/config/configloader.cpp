#include "core/config/configloader.h"

#include "core/db/databasesettings.h"

#include <QFileInfo>
#include <QHostInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include <yaml-cpp/yaml.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct YamlValue
{
    QString path;
    QString text;
    int line = 0;
};

// Flattens nested maps into dotted paths; lists of scalars become comma-separated text, the
// form the environment variables use for the same settings.
std::optional<QString> flatten(const YAML::Node &node, const QString &prefix,
                               QList<YamlValue> &out)
{
    for (const auto &entry : node) {
        const QString key = QString::fromStdString(entry.first.as<std::string>());
        const QString path = prefix.isEmpty() ? key : prefix + u'.' + key;
        const YAML::Node &value = entry.second;
        // The key's line: an empty value's own mark points past it.
        const int line = entry.first.Mark().line + 1;
        if (value.IsMap()) {
            if (auto error = flatten(value, path, out))
                return error;
        } else if (value.IsSequence()) {
            QStringList items;
            for (const auto &item : value) {
                if (!item.IsScalar())
                    return path;
                items << QString::fromStdString(item.as<std::string>());
            }
            out.append({path, items.join(u','), line});
        } else if (value.IsScalar()) {
            out.append({path, QString::fromStdString(value.as<std::string>()), line});
        } else {
            out.append({path, QString(), line});
        }
    }
    return std::nullopt;
}

QString displayValue(const ConfigKey &key, const QString &value)
{
    return key.secret ? u"***"_s : value;
}

} // namespace

ConfigLoader::ConfigLoader(QList<ConfigKey> keys)
    : m_keys(std::move(keys))
{
}

void ConfigLoader::addKeys(const QList<ConfigKey> &keys)
{
    m_keys.append(keys);
}

AppConfig ConfigLoader::defaults()
{
    AppConfig config;
    config.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    static const QRegularExpression invalid(u"[^A-Za-z0-9._-]"_s);
    config.nodeId = QHostInfo::localHostName().replace(invalid, u"-"_s).left(64);
    if (config.nodeId.isEmpty())
        config.nodeId = u"pitwall"_s;
    return config;
}

std::optional<ConfigError> ConfigLoader::load(const ConfigSources &sources,
                                              AppConfig &config) const
{
    QHash<QString, Origin> origins;
    if (!sources.yamlFile.isEmpty()) {
        if (auto error = loadYaml(sources.yamlFile, config, origins))
            return error;
    }
    for (const ConfigKey &key : m_keys) {
        for (const QString &name : key.envNames) {
            const QString value = sources.environment.value(name);
            if (value.isEmpty())
                continue;
            if (auto error = apply(key, value, {name, u"environment"_s}, config, origins))
                return error;
            break;
        }
    }
    for (const ConfigKey &key : m_keys) {
        if (key.cliOption.isEmpty() || !sources.commandLine.contains(key.cliOption))
            continue;
        const Origin origin{u"--"_s + key.cliOption, u"command line"_s};
        if (auto error = apply(key, sources.commandLine.value(key.cliOption), origin, config,
                               origins))
            return error;
    }
    return crossCheck(config, origins);
}

std::optional<ConfigError> ConfigLoader::loadYaml(const QString &file, AppConfig &config,
                                                  QHash<QString, Origin> &origins) const
{
    const QString name = QFileInfo(file).fileName();
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.toStdString());
    } catch (const YAML::BadFile &) {
        return ConfigError{u"--config"_s, file, u"file cannot be read"_s, u"command line"_s};
    } catch (const YAML::ParserException &e) {
        return ConfigError{u"--config"_s, file,
                           u"not valid YAML at line %1 column %2: %3"_s.arg(e.mark.line + 1)
                               .arg(e.mark.column + 1)
                               .arg(QString::fromStdString(e.msg)),
                           u"command line"_s};
    }
    if (root.IsNull())
        return std::nullopt;
    if (!root.IsMap())
        return ConfigError{u"--config"_s, file, u"must be a mapping of settings"_s,
                           u"command line"_s};

    QList<YamlValue> values;
    if (auto badPath = flatten(root, QString(), values))
        return ConfigError{*badPath, QString(), u"must be a value or a list of values"_s, name};

    for (const YamlValue &value : values) {
        const Origin origin{value.path, u"%1 line %2"_s.arg(name).arg(value.line)};
        const auto key = std::find_if(m_keys.cbegin(), m_keys.cend(), [&](const ConfigKey &k) {
            return k.yamlPath == value.path;
        });
        if (key == m_keys.cend())
            return ConfigError{value.path, value.text, u"unknown key"_s, origin.source};
        if (value.text.isEmpty())
            return ConfigError{value.path, QString(), u"has no value"_s, origin.source};
        if (auto error = apply(*key, value.text, origin, config, origins))
            return error;
    }
    return std::nullopt;
}

std::optional<ConfigError> ConfigLoader::apply(const ConfigKey &key, const QString &value,
                                               const Origin &origin, AppConfig &config,
                                               QHash<QString, Origin> &origins) const
{
    if (auto rule = key.apply(config, value))
        return ConfigError{origin.key, displayValue(key, value), *rule, origin.source};
    origins.insert(key.yamlPath, origin);
    return std::nullopt;
}

std::optional<ConfigError> ConfigLoader::crossCheck(const AppConfig &config,
                                                    const QHash<QString, Origin> &origins) const
{
    QString error;
    if (!DatabaseSettings::parse(config.databaseUrl, config.dataDir, &error)) {
        const Origin origin = origins.value(u"database_url"_s, {u"database_url"_s, u"default"_s});
        return ConfigError{origin.key, u"***"_s, error, origin.source};
    }
    return std::nullopt;
}

} // namespace Pitwall
