#include "core/log/loglevel.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

bool sameWord(QStringView text, QStringView word)
{
    return text.compare(word, Qt::CaseInsensitive) == 0;
}

} // namespace

std::optional<LogLevel> parseLogLevel(QStringView text)
{
    const QStringView word = text.trimmed();
    for (const LogLevel level : {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warn,
                                 LogLevel::Error}) {
        if (sameWord(word, logLevelName(level)))
            return level;
    }
    if (sameWord(word, u"warning"))
        return LogLevel::Warn;
    return std::nullopt;
}

QString logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Trace:
        return u"trace"_s;
    case LogLevel::Debug:
        return u"debug"_s;
    case LogLevel::Info:
        return u"info"_s;
    case LogLevel::Warn:
        return u"warn"_s;
    case LogLevel::Error:
        return u"error"_s;
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<LogFormat> parseLogFormat(QStringView text)
{
    const QStringView word = text.trimmed();
    for (const LogFormat format : {LogFormat::Text, LogFormat::Json}) {
        if (sameWord(word, logFormatName(format)))
            return format;
    }
    return std::nullopt;
}

QString logFormatName(LogFormat format)
{
    switch (format) {
    case LogFormat::Text:
        return u"text"_s;
    case LogFormat::Json:
        return u"json"_s;
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace Pitwall
