#include "watch/watchconfigreader.h"

#include "core/config/duration.h"
#include "watch/watchrules.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QSet>

#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace Pitwall {

using Problem = SettingProblem;
using Shape = SettingShape;
using namespace SettingBuilders;
using namespace WatchRules;

namespace {

// The text of a scalar, or of each entry of a list of scalars; nothing if the shape is wrong.
std::optional<QStringList> valuesOf(const YAML::Node &node, Shape shape)
{
    QStringList values;
    if (shape == Shape::Scalar) {
        if (!node.IsScalar())
            return std::nullopt;
        values << QString::fromStdString(node.Scalar());
    } else if (node.IsSequence()) {
        for (const YAML::Node &item : node) {
            if (!item.IsScalar())
                return std::nullopt;
            values << QString::fromStdString(item.Scalar());
        }
    } else if (!node.IsNull()) { // `blocked_dirs:` with every entry commented out is empty
        return std::nullopt;
    }
    return values;
}

QString describe(Shape shape)
{
    switch (shape) {
    case Shape::Scalar:
        return u"must be a single value"_s;
    case Shape::List:
        return u"must be a list of values"_s;
    case Shape::Map:
        break;
    }
    return u"must be a mapping of keys"_s;
}

} // namespace

WatchConfigReader::WatchConfigReader(QString fileName)
    : m_file(std::move(fileName))
    , m_fileName(QFileInfo(m_file).fileName())
{
}

bool WatchConfigReader::readFile(WatchConfig &config)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(m_file.toStdString());
    } catch (const YAML::BadFile &) {
        m_error = u"%1: cannot be read"_s.arg(m_file);
        return false;
    } catch (const YAML::ParserException &e) {
        m_error = u"%1: not valid YAML at line %2 column %3: %4"_s.arg(m_file)
                      .arg(e.mark.line + 1)
                      .arg(e.mark.column + 1)
                      .arg(QString::fromStdString(e.msg));
        return false;
    }
    if (root.IsNull())
        return true;
    if (!root.IsMap()) {
        m_error = u"%1: must be a mapping of settings"_s.arg(m_file);
        return false;
    }
    return readSettings(root, QString(), topLevelSettings(), config) && checkRuntimes(config);
}

bool WatchConfigReader::readEnvironment(const QProcessEnvironment &env, WatchConfig &config)
{
    for (const Setting<WatchConfig> &setting : topLevelSettings()) {
        const QString name = setting.envName;
        const QString text = name.isEmpty() ? QString() : env.value(name).trimmed();
        if (text.isEmpty())
            continue;
        QStringList values{text};
        if (setting.shape == Shape::List) {
            values = text.split(u',', Qt::SkipEmptyParts);
            for (QString &value : values)
                value = value.trimmed();
        }
        if (const auto problem = setting.apply(config, values)) {
            m_error = u"%1=\"%2\": %3 (environment)"_s.arg(name, text, problem->rule);
            return false;
        }
    }
    return true;
}

bool WatchConfigReader::forEachEntry(const YAML::Node &map, const QString &path,
                                     const EntryVisitor &visit)
{
    QSet<QString> seen;
    for (const auto &entry : map) {
        const QString key = entry.first.IsScalar()
            ? QString::fromStdString(entry.first.Scalar()) : u"?"_s;
        const QString keyPath = path.isEmpty() ? key : path + u'.' + key;
        m_lines.insert(keyPath, entry.first.Mark().line + 1);
        if (!entry.first.IsScalar())
            return fail(keyPath, u"keys must be plain names"_s);
        if (seen.contains(key))
            return fail(keyPath, u"appears more than once"_s);
        seen.insert(key);
        const YAML::Node &value = entry.second;
        for (qsizetype i = 0; value.IsSequence() && i < qsizetype(value.size()); ++i)
            m_lines.insert(u"%1[%2]"_s.arg(keyPath).arg(i), value[i].Mark().line + 1);
        if (!visit(key, keyPath, value))
            return false;
    }
    return true;
}

template <typename T>
bool WatchConfigReader::readSettings(const YAML::Node &map, const QString &path,
                                     const QList<Setting<T>> &settings, T &target)
{
    return forEachEntry(map, path, [&](const QString &key, const QString &keyPath,
                                       const YAML::Node &value) {
        const auto setting = std::find_if(settings.cbegin(), settings.cend(),
                                          [&](const Setting<T> &s) { return s.key == key; });
        if (setting == settings.cend())
            return fail(keyPath, u"unknown key"_s);
        if (setting->shape == Shape::Map) {
            if (!value.IsMap() && !value.IsNull())
                return fail(keyPath, describe(Shape::Map));
            return value.IsNull() || setting->readMap(target, value, keyPath);
        }
        if (setting->shape == Shape::Scalar && value.IsNull())
            return fail(keyPath, u"has no value"_s);
        const auto values = valuesOf(value, setting->shape);
        if (!values)
            return fail(keyPath, describe(setting->shape));
        if (const auto problem = setting->apply(target, *values)) {
            const QString at = problem->item < 0 ? keyPath
                                                 : u"%1[%2]"_s.arg(keyPath).arg(problem->item);
            return fail(at, problem->value, problem->rule);
        }
        return true;
    });
}

bool WatchConfigReader::readLimits(const YAML::Node &map, const QString &path,
                                   CgroupLimits &limits)
{
    // CgroupLimits owns the key names and ranges; each key is checked through its JSON reader.
    return forEachEntry(map, path, [&](const QString &key, const QString &keyPath,
                                       const YAML::Node &value) {
        const auto values = valuesOf(value, Shape::Scalar);
        if (!values)
            return fail(keyPath, describe(Shape::Scalar));
        bool ok = false;
        const qint64 number = values->constFirst().toLongLong(&ok);
        if (!ok)
            return fail(keyPath, values->constFirst(), u"must be a whole number"_s);
        QString rule;
        JsonProblem problem = JsonProblem::Malformed;
        const auto parsed = CgroupLimits::fromJson(QJsonObject{{key, number}}, &rule, &problem);
        if (!parsed && problem == JsonProblem::Malformed)
            return fail(keyPath, u"unknown key"_s);
        if (!parsed)
            return fail(keyPath, values->constFirst(), rule);
        limits = parsed->mergedOver(limits);
        return true;
    });
}

bool WatchConfigReader::readFilters(const YAML::Node &map, const QString &path,
                                    WatchFilters &filters)
{
    return readSettings(map, path, filterSettings(), filters);
}

bool WatchConfigReader::readCommands(const YAML::Node &map, const QString &path,
                                     QMap<QString, WatchCommand> &commands)
{
    const auto settings = commandSettings();
    return forEachEntry(map, path, [&](const QString &name, const QString &keyPath,
                                       const YAML::Node &value) {
        if (const auto rule = commandName(name))
            return fail(keyPath, *rule);
        if (!value.IsMap() && !value.IsNull())
            return fail(keyPath, describe(Shape::Map));
        WatchCommand &command = commands[name];
        return value.IsNull() || readSettings(value, keyPath, settings, command);
    });
}

// A min_runtime above a max_runtime that also applies can never be met: every process would be
// deferred and then rejected. Checked per level and across the global/per-command AND.
bool WatchConfigReader::checkRuntimes(const WatchConfig &config)
{
    struct Level
    {
        QString path;
        const WatchFilters *filters;
    };
    const Level global{u"filters"_s, &config.filters};
    QList<std::pair<Level, Level>> pairs{{global, global}}; // (min_runtime from, max_runtime from)
    for (auto it = config.commands.cbegin(); it != config.commands.cend(); ++it) {
        const Level command{u"commands.%1.filters"_s.arg(it.key()), &it.value().filters};
        pairs << std::pair(command, command) << std::pair(command, global)
              << std::pair(global, command);
    }
    for (const auto &[minLevel, maxLevel] : pairs) {
        const milliseconds max = maxLevel.filters->maxRuntime;
        if (max == 0ms || minLevel.filters->minRuntime <= max)
            continue;
        return fail(minLevel.path + u".min_runtime"_s, formatDuration(minLevel.filters->minRuntime),
                    u"must not exceed %1.max_runtime (%2)"_s.arg(maxLevel.path,
                                                                 formatDuration(max)));
    }
    return true;
}

QList<Setting<WatchConfig>> WatchConfigReader::topLevelSettings()
{
    using C = WatchConfig;
    const auto path = [](QString C::*field, bool allowEmpty) {
        return scalar<C>([=](C &config, const QString &value) -> Rule {
            if (allowEmpty && value.isEmpty()) {
                (config.*field).clear();
                return std::nullopt;
            }
            return absolutePath(config.*field, value);
        });
    };
    const auto targets = [](C &config, const QStringList &values) -> std::optional<Problem> {
        if (values.isEmpty())
            return Problem{QString(), u"must name at least one command"_s};
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (const auto rule = commandName(values[i]))
                return Problem{values[i], *rule, i};
        }
        config.targetCommands = values;
        config.targetCommands.removeDuplicates();
        return std::nullopt;
    };
    return {
        {"scan_interval"_L1, "SCAN_INTERVAL"_L1, Shape::Scalar,
         durationField(&C::scanInterval, 100ms, 24h), {}},
        {"target_commands"_L1, "TARGET_COMMANDS"_L1, Shape::List, targets, {}},
        {"default_limits"_L1, {}, Shape::Map, {},
         [this](C &config, const YAML::Node &map, const QString &at) {
             return readLimits(map, at, config.defaultLimits);
         }},
        {"filters"_L1, {}, Shape::Map, {},
         [this](C &config, const YAML::Node &map, const QString &at) {
             return readFilters(map, at, config.filters);
         }},
        {"commands"_L1, {}, Shape::Map, {},
         [this](C &config, const YAML::Node &map, const QString &at) {
             return readCommands(map, at, config.commands);
         }},
        {"state_path"_L1, "STATE_PATH"_L1, Shape::Scalar, path(&C::statePath, false), {}},
        {"state_flush_interval"_L1, "STATE_FLUSH_INTERVAL"_L1, Shape::Scalar,
         durationField(&C::stateFlushInterval, 100ms, 1h), {}},
        {"max_retry_attempts"_L1, "MAX_RETRY_ATTEMPTS"_L1, Shape::Scalar,
         scalar<C>([](C &config, const QString &value) {
             qint64 attempts = 0;
             auto broken = ConfigRules::integer(attempts, value, 0, 100);
             if (!broken)
                 config.maxRetryAttempts = int(attempts);
             return broken;
         }),
         {}},
        {"proc_root"_L1, {}, Shape::Scalar, path(&C::procRoot, false), {}},
        {"cgroup_root"_L1, {}, Shape::Scalar, path(&C::cgroupRoot, true), {}},
        {"cgroup_base"_L1, {}, Shape::Scalar,
         scalar<C>([](C &config, const QString &value) {
             return cgroupBase(config.cgroupBase, value);
         }),
         {}},
    };
}

QList<Setting<WatchCommand>> WatchConfigReader::commandSettings()
{
    return {
        {"limits"_L1, {}, Shape::Map, {},
         [this](WatchCommand &command, const YAML::Node &map, const QString &at) {
             return readLimits(map, at, command.limits);
         }},
        {"filters"_L1, {}, Shape::Map, {},
         [this](WatchCommand &command, const YAML::Node &map, const QString &at) {
             return readFilters(map, at, command.filters);
         }},
    };
}

QString WatchConfigReader::where(const QString &path) const
{
    const int line = m_lines.value(path);
    return line > 0 ? u"%1 line %2"_s.arg(m_fileName).arg(line) : m_fileName;
}

bool WatchConfigReader::fail(const QString &path, const QString &rule)
{
    m_error = u"%1: %2 (%3)"_s.arg(path, rule, where(path));
    return false;
}

bool WatchConfigReader::fail(const QString &path, const QString &value, const QString &rule)
{
    m_error = u"%1=\"%2\": %3 (%4)"_s.arg(path, value, rule, where(path));
    return false;
}

} // namespace Pitwall
