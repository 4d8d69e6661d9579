#pragma once

#include "core/config/configkey.h"

#include <QUrl>

#include <chrono>
#include <functional>

namespace Pitwall {

// Builders for the VOD key tables: a key names its YAML path, its environment variable and the
// field it sets (a function from the AppConfig to that field), and applies the matching rule.
namespace VodKeys {

template <typename T>
using Field = std::function<T &(AppConfig &)>;

ConfigKey duration(const QString &yaml, const QString &env, Field<std::chrono::milliseconds> field,
                   std::chrono::milliseconds min, std::chrono::milliseconds max);
ConfigKey integer(const QString &yaml, const QString &env, Field<int> field, int min, int max);
ConfigKey boolean(const QString &yaml, const QString &env, Field<bool> field);
ConfigKey url(const QString &yaml, const QString &env, Field<QUrl> field);
// Free text, trimmed; `secret` masks it in errors and logs (LogSink gets it in main).
ConfigKey text(const QString &yaml, const QString &env, Field<QString> field, bool secret = false);

} // namespace VodKeys

} // namespace Pitwall
