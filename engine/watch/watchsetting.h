#pragma once

#include "core/config/configkey.h"

#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>

namespace YAML {
class Node;
}

namespace Pitwall {

// A value refused by a rule; `item` is the offending list entry's index, -1 for a scalar.
struct SettingProblem
{
    QString value;
    QString rule;
    qsizetype item = -1;
};

enum class SettingShape { Scalar, List, Map };

// One key of a watch-config.yaml mapping that fills a field of T. Scalar and List settings
// take text (from the file or, for the keys that have one, the environment variable); Map
// settings read a nested mapping.
template <typename T>
struct Setting
{
    QLatin1StringView key;
    QLatin1StringView envName; // empty when only the file sets it
    SettingShape shape;
    std::function<std::optional<SettingProblem>(T &, const QStringList &)> apply; // Scalar, List
    std::function<bool(T &, const YAML::Node &, const QString &)> readMap;        // Map
};

// Builders that turn a rule on text (returning the broken rule, or nothing) into an `apply`.
namespace SettingBuilders {

using Rule = std::optional<QString>;

template <typename T>
auto scalar(std::function<Rule(T &, const QString &)> rule)
{
    return [rule](T &target, const QStringList &values) -> std::optional<SettingProblem> {
        if (auto broken = rule(target, values.constFirst()))
            return SettingProblem{values.constFirst(), *broken};
        return std::nullopt;
    };
}

template <typename T>
auto durationField(std::chrono::milliseconds T::*field, std::chrono::milliseconds min,
                   std::chrono::milliseconds max)
{
    return scalar<T>([=](T &target, const QString &value) {
        return ConfigRules::duration(target.*field, value, min, max);
    });
}

// Every entry must pass `rule`; the field is replaced only when all of them do.
template <typename T, typename Item>
auto listField(QList<Item> T::*field, std::function<Rule(Item &, const QString &)> rule)
{
    return [=](T &target, const QStringList &values) -> std::optional<SettingProblem> {
        QList<Item> items;
        for (qsizetype i = 0; i < values.size(); ++i) {
            Item item{};
            if (auto broken = rule(item, values[i]))
                return SettingProblem{values[i], *broken, i};
            items.append(item);
        }
        target.*field = items;
        return std::nullopt;
    };
}

template <typename Item>
std::function<Rule(Item &, const QString &)> integerItem(qint64 min, qint64 max)
{
    return [=](Item &out, const QString &value) -> Rule {
        qint64 parsed = 0;
        if (auto broken = ConfigRules::integer(parsed, value, min, max))
            return broken;
        out = Item(parsed);
        return std::nullopt;
    };
}

} // namespace SettingBuilders

} // namespace Pitwall
