#include "core/log/logsink.h"

#include "core/log/logcontext.h"
#include "core/log/logentry.h"
#include "core/log/logring.h"

#include <QFileDevice>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QReadWriteLock>
#include <QStringList>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr QLatin1StringView OwnPrefix("pitwall.");
constexpr QLatin1StringView TraceSuffix(".trace");
constexpr qsizetype MinimumSecretLength = 4;

struct SinkState {
    // Read-locked while a message is handled (threads log in parallel), write-locked to change
    // the options or the secrets, so the ring and device are never used after uninstall().
    QReadWriteLock lock;
    bool installed = false;
    LogSinkOptions options;
    QtMessageHandler previous = nullptr;
    QStringList secrets; // longest first, so a secret containing another is replaced whole
    // Serialises the actual writes so lines from different threads never interleave.
    QMutex writeMutex;
};

// Never destroyed: Qt may still log while static objects are torn down at exit.
SinkState &state()
{
    static auto *const instance = new SinkState;
    return *instance;
}

QString filterRules(LogLevel level)
{
    const auto enabledAt = [level](LogLevel threshold) {
        return level <= threshold ? "true"_L1 : "false"_L1;
    };
    // Later rules win: everything at warning first, then our categories at the configured level.
    QStringList rules = {
        u"*.debug=false"_s,
        u"*.info=false"_s,
        u"pitwall.*.debug="_s + enabledAt(LogLevel::Debug),
        u"pitwall.*.info="_s + enabledAt(LogLevel::Info),
        u"pitwall.*.warning="_s + enabledAt(LogLevel::Warn),
    };
    if (level != LogLevel::Trace) {
        rules << u"*.trace.debug=false"_s << u"*.trace.info=false"_s;
    }
    return rules.join(u'\n');
}

QString redacted(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets)
        text.replace(secret, "***"_L1);
    return text;
}

QJsonObject redacted(const QJsonObject &object, const QStringList &secrets);

QJsonValue redacted(const QJsonValue &value, const QStringList &secrets)
{
    if (value.isString())
        return redacted(value.toString(), secrets);
    if (value.isObject())
        return redacted(value.toObject(), secrets);
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(redacted(item, secrets));
        return array;
    }
    return value;
}

QJsonObject redacted(const QJsonObject &object, const QStringList &secrets)
{
    if (secrets.isEmpty())
        return object;
    QJsonObject result;
    for (auto it = object.begin(); it != object.end(); ++it)
        result.insert(redacted(it.key(), secrets), redacted(it.value(), secrets));
    return result;
}

LogLevel levelOf(QtMsgType type, QLatin1StringView category)
{
    switch (type) {
    case QtDebugMsg:
        return category.endsWith(TraceSuffix) ? LogLevel::Trace : LogLevel::Debug;
    case QtInfoMsg:
        return LogLevel::Info;
    case QtWarningMsg:
        return LogLevel::Warn;
    case QtCriticalMsg:
    case QtFatalMsg:
        return LogLevel::Error;
    }
    return LogLevel::Error;
}

LogEntry makeEntry(QtMsgType type, const QMessageLogContext &context, const QString &message,
                   const QStringList &secrets)
{
    const QLatin1StringView category(context.category ? context.category : "default");
    LogEntry entry;
    entry.timestamp = QDateTime::currentDateTimeUtc();
    entry.level = levelOf(type, category);
    entry.component = category.startsWith(OwnPrefix) ? QString(category.sliced(OwnPrefix.size()))
                                                      : QString(category);
    entry.message = redacted(message, secrets);
    entry.correlationId = redacted(LogContext::correlationId(), secrets);
    entry.fields = redacted(LogContext::fields(), secrets);
    return entry;
}

// The JSON text of a single value, as it appears inside a JSON document.
QString jsonText(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.sliced(1, array.size() - 2));
}

// key=value pairs stay splittable on blanks: a string with blanks, quotes, '=' or control
// characters is written JSON-quoted, everything else bare.
QString textValue(const QJsonValue &value)
{
    if (!value.isString())
        return jsonText(value);
    const QString text = value.toString();
    const bool needsQuotes = text.isEmpty() || std::any_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.isSpace() || c == u'"' || c == u'=' || c.category() == QChar::Other_Control;
    });
    return needsQuotes ? jsonText(value) : text;
}

QByteArray textLine(const LogEntry &entry)
{
    QString message = entry.message;
    message.replace(u'\n', "\\n"_L1).replace(u'\r', "\\r"_L1);
    QString line = logTimestamp(entry.timestamp) + u' '
        + logLevelName(entry.level).toUpper().leftJustified(5) + u" ["_s + entry.component
        + u"] "_s + message;
    if (!entry.correlationId.isEmpty())
        line += u" corr="_s + textValue(entry.correlationId);
    for (auto it = entry.fields.begin(); it != entry.fields.end(); ++it)
        line += u' ' + it.key() + u'=' + textValue(it.value());
    line += u'\n';
    return line.toUtf8();
}

QByteArray jsonLine(const LogEntry &entry)
{
    QJsonObject json = entry.toJson();
    // The id belongs to the ring; a written line stands on its own.
    json.remove(u"id"_s);
    return QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
}

void writeLine(SinkState &sink, const QByteArray &line)
{
    QMutexLocker locker(&sink.writeMutex);
    if (QIODevice *device = sink.options.device) {
        device->write(line);
        if (auto *file = qobject_cast<QFileDevice *>(device))
            file->flush();
        return;
    }
    FILE *file = sink.options.file ? sink.options.file : stderr;
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), file);
    std::fflush(file);
}

// Qt never re-enters a message handler on the same thread: what is logged from inside it goes
// straight to stderr, so nothing here may log.
void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    SinkState &sink = state();
    QReadLocker locker(&sink.lock);
    if (!sink.installed)
        return;
    const LogEntry entry = makeEntry(type, context, message, sink.secrets);
    writeLine(sink, sink.options.format == LogFormat::Json ? jsonLine(entry) : textLine(entry));
    if (sink.options.ring)
        sink.options.ring->append(entry);
}

} // namespace

void LogSink::install(const LogSinkOptions &options)
{
    SinkState &sink = state();
    {
        QWriteLocker locker(&sink.lock);
        sink.options = options;
        if (!sink.installed) {
            sink.previous = qInstallMessageHandler(handleMessage);
            sink.installed = true;
        }
    }
    // Outside the lock: setting rules may itself log.
    QLoggingCategory::setFilterRules(filterRules(options.level));
}

void LogSink::uninstall()
{
    SinkState &sink = state();
    {
        QWriteLocker locker(&sink.lock);
        if (!sink.installed)
            return;
        qInstallMessageHandler(sink.previous);
        sink.previous = nullptr;
        sink.options = {};
        sink.installed = false;
    }
    QLoggingCategory::setFilterRules(QString());
}

void LogSink::setLevel(LogLevel level)
{
    QLoggingCategory::setFilterRules(filterRules(level));
}

void LogSink::addSecret(const QString &secret)
{
    if (secret.size() < MinimumSecretLength)
        return;
    SinkState &sink = state();
    QWriteLocker locker(&sink.lock);
    for (const QString &form : {secret, QString::fromLatin1(QUrl::toPercentEncoding(secret))}) {
        if (!sink.secrets.contains(form))
            sink.secrets.append(form);
    }
    std::stable_sort(sink.secrets.begin(), sink.secrets.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

} // namespace Pitwall
