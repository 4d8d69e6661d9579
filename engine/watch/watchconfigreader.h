#pragma once

#include "watch/watchconfig.h"
#include "watch/watchsetting.h"

#include <QHash>

#include <functional>

namespace Pitwall {

// Reads watch-config.yaml and the environment into a WatchConfig, strictly. The first problem
// stops reading and is kept in error(), phrased for the operator with the key path, the value,
// the rule and the line.
class WatchConfigReader final
{
public:
    explicit WatchConfigReader(QString fileName);

    bool readFile(WatchConfig &config);
    bool readEnvironment(const QProcessEnvironment &env, WatchConfig &config);
    const QString &error() const { return m_error; }

private:
    using EntryVisitor =
        std::function<bool(const QString &key, const QString &path, const YAML::Node &value)>;

    bool forEachEntry(const YAML::Node &map, const QString &path, const EntryVisitor &visit);
    template <typename T>
    bool readSettings(const YAML::Node &map, const QString &path,
                      const QList<Setting<T>> &settings, T &target);
    bool readLimits(const YAML::Node &map, const QString &path, CgroupLimits &limits);
    bool readFilters(const YAML::Node &map, const QString &path, WatchFilters &filters);
    bool readCommands(const YAML::Node &map, const QString &path,
                      QMap<QString, WatchCommand> &commands);
    bool checkRuntimes(const WatchConfig &config);

    QList<Setting<WatchConfig>> topLevelSettings();
    QList<Setting<WatchCommand>> commandSettings();

    bool fail(const QString &path, const QString &rule);
    bool fail(const QString &path, const QString &value, const QString &rule);
    QString where(const QString &path) const;

    QString m_file;
    QString m_fileName;
    QHash<QString, int> m_lines; // key path -> line, for messages about keys already read
    QString m_error;
};

} // namespace Pitwall
