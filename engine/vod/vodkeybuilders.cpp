#include "vod/vodkeybuilders.h"

#include "vod/vodconfigrules.h"

namespace Pitwall::VodKeys {

ConfigKey duration(const QString &yaml, const QString &env, Field<std::chrono::milliseconds> field,
                   std::chrono::milliseconds min, std::chrono::milliseconds max)
{
    return {yaml, {env}, QString(), false, [=](AppConfig &config, const QString &value) {
                return ConfigRules::duration(field(config), value, min, max);
            }};
}

ConfigKey integer(const QString &yaml, const QString &env, Field<int> field, int min, int max)
{
    return {yaml, {env}, QString(), false,
            [=](AppConfig &config, const QString &value) -> std::optional<QString> {
                qint64 parsed = 0;
                if (auto rule = ConfigRules::integer(parsed, value, min, max))
                    return rule;
                field(config) = int(parsed);
                return std::nullopt;
            }};
}

ConfigKey boolean(const QString &yaml, const QString &env, Field<bool> field)
{
    return {yaml, {env}, QString(), false, [=](AppConfig &config, const QString &value) {
                return VodConfigRules::boolean(field(config), value);
            }};
}

ConfigKey url(const QString &yaml, const QString &env, Field<QUrl> field)
{
    return {yaml, {env}, QString(), false, [=](AppConfig &config, const QString &value) {
                return VodConfigRules::baseUrl(field(config), value);
            }};
}

ConfigKey text(const QString &yaml, const QString &env, Field<QString> field, bool secret)
{
    return {yaml, {env}, QString(), secret,
            [=](AppConfig &config, const QString &value) -> std::optional<QString> {
                field(config) = value.trimmed();
                return std::nullopt;
            }};
}

} // namespace Pitwall::VodKeys
