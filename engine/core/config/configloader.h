#pragma once

#include "core/config/appconfig.h"
#include "core/config/configerror.h"
#include "core/config/configkey.h"

#include <QHash>
#include <QProcessEnvironment>

#include <optional>

namespace Pitwall {

struct ConfigSources
{
    QString yamlFile; // --config; empty for none
    QProcessEnvironment environment;
    QHash<QString, QString> commandLine; // long option name -> value
};

// Merges built-in defaults < YAML file < environment < command line into one AppConfig and
// refuses anything it does not understand: unknown YAML keys, malformed values, values out of
// range. The first problem found is returned; the config is then not to be used.
class ConfigLoader final
{
public:
    explicit ConfigLoader(QList<ConfigKey> keys = coreConfigKeys());

    void addKeys(const QList<ConfigKey> &keys);
    const QList<ConfigKey> &keys() const { return m_keys; }

    std::optional<ConfigError> load(const ConfigSources &sources, AppConfig &config) const;

    // Defaults that depend on the machine: data dir under the user's data location, host name.
    static AppConfig defaults();

private:
    struct Origin
    {
        QString key;
        QString source;
    };

    std::optional<ConfigError> loadYaml(const QString &file, AppConfig &config,
                                        QHash<QString, Origin> &origins) const;
    std::optional<ConfigError> apply(const ConfigKey &key, const QString &value,
                                     const Origin &origin, AppConfig &config,
                                     QHash<QString, Origin> &origins) const;
    std::optional<ConfigError> crossCheck(const AppConfig &config,
                                          const QHash<QString, Origin> &origins) const;

    QList<ConfigKey> m_keys;
};

} // namespace Pitwall
