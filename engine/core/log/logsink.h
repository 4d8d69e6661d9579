#pragma once

#include "core/log/loglevel.h"

#include <QString>

#include <cstdio>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace Pitwall {

class LogRing;

struct LogSinkOptions {
    LogLevel level = LogLevel::Info;
    LogFormat format = LogFormat::Text;
    LogRing *ring = nullptr;      // not owned; when set, must outlive the installation
    FILE *file = stderr;          // where lines go when device is null (stderr if both are null)
    QIODevice *device = nullptr;  // not owned, open for writing, written only under the sink's
                                  // lock from any thread: use a thread-agnostic device (QFile, QBuffer)
};

// The process-wide Qt message handler: every qCDebug/qCInfo/qCWarning/qCCritical (and Qt's own
// messages) becomes a LogEntry with the thread's LogContext, is redacted of registered secrets,
// written as one text or JSON line and appended to the ring.
//
// Levels work through QLoggingCategory filter rules, so a disabled message costs nothing:
// "pitwall.*" follows the configured level, categories named "pitwall.<area>.trace" log only at
// trace, and Qt's own categories and "default" log warnings and errors only. QT_LOGGING_RULES
// still overrides all of this for a developer who needs one Qt category.
//
// Safe from any thread. Qt does not re-enter the handler: a message logged while it runs on the
// same thread (e.g. from a slot connected directly to LogRing::entryAppended) goes unformatted
// and unredacted to stderr instead, so such slots must not log, and must not call install,
// uninstall or addSecret (they would wait for the handler they run in). Connect queued.
class LogSink final
{
public:
    LogSink() = delete;

    // Installs the handler (or updates the options of the installed one).
    static void install(const LogSinkOptions &options);
    // Restores the handler that was there before install() and Qt's default filter rules.
    static void uninstall();
    // Changes the level at runtime, e.g. on a configuration reload.
    static void setLevel(LogLevel level);
    // Registers a secret (admin token, DB password, OAuth secret, ...): from now on it, and its
    // percent-encoded form, is replaced by "***" in messages, correlation ids and fields before
    // anything is written or kept. Strings shorter than 4 characters are ignored, since
    // redacting them would mangle ordinary text. Secrets stay registered for the process.
    static void addSecret(const QString &secret);
};

} // namespace Pitwall
