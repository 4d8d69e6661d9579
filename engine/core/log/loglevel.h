#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace Pitwall {

// Ordered from most to least verbose: a configured level lets through itself and everything after it.
enum class LogLevel { Trace, Debug, Info, Warn, Error };

enum class LogFormat { Text, Json };

// Accepts trace|debug|info|warn|warning|error, case-insensitive, surrounding blanks ignored.
std::optional<LogLevel> parseLogLevel(QStringView text);
// Lower-case canonical name: "trace", "debug", "info", "warn", "error".
QString logLevelName(LogLevel level);

// Accepts text|json, case-insensitive, surrounding blanks ignored.
std::optional<LogFormat> parseLogFormat(QStringView text);
QString logFormatName(LogFormat format);

} // namespace Pitwall
