#include "watch/watchconfig.h"

#include "core/log/logcategories.h"
#include "watch/watchconfigreader.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace Pitwall {

std::optional<WatchConfig> WatchConfig::load(const QString &yamlFile,
                                             const QProcessEnvironment &env,
                                             const QString &dataDir, QString *error)
{
    WatchConfig config;
    config.statePath = QDir(dataDir).filePath(u"watch-state.json"_s);
    WatchConfigReader reader(yamlFile);
    const bool ok = (yamlFile.isEmpty() || reader.readFile(config))
        && reader.readEnvironment(env, config);
    if (!ok) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    if (!config.defaultLimits.cpuWeight)
        config.defaultLimits.cpuWeight = DefaultCpuWeight;
    // Not an error: TARGET_COMMANDS may narrow the targets of a file shared between nodes.
    for (auto it = config.commands.cbegin(); it != config.commands.cend(); ++it) {
        if (!config.targetCommands.contains(it.key()))
            qCWarning(lcConfig).noquote()
                << u"watch: commands.%1 is configured but %1 is not a target command"_s.arg(
                       it.key());
    }
    return config;
}

CgroupLimits WatchConfig::effectiveLimits(const QString &command) const
{
    const auto it = commands.constFind(command);
    return it == commands.cend() ? defaultLimits : it->limits.mergedOver(defaultLimits);
}

const WatchFilters *WatchConfig::commandFilters(const QString &command) const
{
    const auto it = commands.constFind(command);
    return it == commands.cend() ? nullptr : &it->filters;
}

} // namespace Pitwall
