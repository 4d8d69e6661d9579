#pragma once

#include "core/config/appconfig.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Pitwall {

// One setting and every place it can come from. `apply` turns the text into the typed field
// and returns the rule that was broken when it cannot, e.g. "must be between 1 and 65535".
struct ConfigKey
{
    QString yamlPath;       // dotted path in the --config file, e.g. "http.request_timeout"
    QStringList envNames;   // first one set wins, e.g. {"DATABASE_URL", "DB_DSN"}
    QString cliOption;      // long option name without dashes, empty if none
    bool secret = false;    // value never printed, not even in error messages
    std::function<std::optional<QString>(AppConfig &, const QString &)> apply;
};

// The core's keys. Engines append their own lists to the loader.
QList<ConfigKey> coreConfigKeys();

// Parsers shared by every key table: each returns the broken rule, or nothing on success.
namespace ConfigRules {
std::optional<QString> duration(std::chrono::milliseconds &out, const QString &value,
                                std::chrono::milliseconds min, std::chrono::milliseconds max);
std::optional<QString> integer(qint64 &out, const QString &value, qint64 min, qint64 max);
std::optional<QString> endpoint(QHostAddress &address, quint16 &port, const QString &value);
} // namespace ConfigRules

} // namespace Pitwall
