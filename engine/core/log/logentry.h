#pragma once

#include "core/log/loglevel.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace Pitwall {

// One log line as kept in the ring, served by GET /api/v1/logs and shown in the console.
struct LogEntry {
    quint64 id = 0;          // assigned by LogRing::append; 0 = not in a ring
    QDateTime timestamp;     // UTC
    LogLevel level = LogLevel::Info;
    QString component;       // category name without "pitwall.", e.g. "http"
    QString message;
    QString correlationId;   // empty when the line was not logged inside a LogContext::Scope
    QJsonObject fields;      // extra fields, e.g. {"dl_ms": 1234}

    // {"id":N,"ts":"2026-11-22T02:20:00.123Z","level":"info","component":"http","msg":"...",
    //  "corr":"..." (omitted if empty), ...fields}. A field named like a fixed key is dropped:
    // the fixed keys are what every reader of the log relies on.
    QJsonObject toJson() const;
};

// Format shared by the log output and the JSON: ISO 8601, UTC, milliseconds, "Z".
QString logTimestamp(const QDateTime &timestamp);

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::LogEntry)
