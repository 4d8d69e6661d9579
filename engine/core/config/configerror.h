#pragma once

#include <QString>

namespace Pitwall {

// Why the configuration was refused: which key, which value, which rule, and where it came from.
struct ConfigError
{
    QString key;    // as the operator wrote it: "bind_addr", "BIND_ADDR" or "--bind"
    QString value;  // "***" for secrets
    QString rule;
    QString source; // "config.yaml line 3", "environment", "command line"

    // One line for stderr, e.g.
    // configuration error: BIND_ADDR="nope" (environment): must be HOST:PORT ...
    QString toString() const;
};

} // namespace Pitwall
