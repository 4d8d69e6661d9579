#include "watch/statefile.h"

#include "watch/jsonfields.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The guide expects about 500 bytes per process; anything this large is not a state file.
constexpr qint64 maxStateFileBytes = 64 * 1024 * 1024;
constexpr qint64 maxCount = qint64(1) << 53;

QString systemError(const QString &action, const QString &path, int error)
{
    return u"cannot %1 %2: %3"_s.arg(action, path, QString::fromLocal8Bit(std::strerror(error)));
}

// Writes all of `data` to a new file at `path` and flushes it to the disk.
bool writeDurably(const QString &path, const QByteArray &data, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                          0644);
    if (fd < 0) {
        *error = systemError(u"create"_s, path, errno);
        return false;
    }
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = systemError(u"write"_s, path, n < 0 ? errno : ENOSPC);
            ::close(fd);
            return false;
        }
        written += n;
    }
    if (::fsync(fd) != 0) {
        *error = systemError(u"sync"_s, path, errno);
        ::close(fd);
        return false;
    }
    if (::close(fd) != 0) {
        *error = systemError(u"close"_s, path, errno);
        return false;
    }
    return true;
}

// Makes the rename itself durable. Filesystems that cannot sync a directory say EINVAL.
bool syncDirectory(const QString &dir, QString *error)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *error = systemError(u"open directory"_s, dir, errno);
        return false;
    }
    const bool ok = ::fsync(fd) == 0 || errno == EINVAL;
    if (!ok)
        *error = systemError(u"sync directory"_s, dir, errno);
    ::close(fd);
    return ok;
}

int schemaVersionOf(JsonFields &fields)
{
    if (fields.contains(u"schema_version"_s))
        return int(fields.integer(u"schema_version"_s, 1, WatchState::currentSchemaVersion)
                       .value_or(0));
    const QString legacy = fields.string(u"version"_s);
    if (fields.contains(u"version"_s) && legacy != u"1.0"_s)
        fields.fail(u"version"_s, u"unknown state file version \"%1\""_s.arg(legacy));
    return 1;
}

void readStatistics(JsonFields &top, Statistics &statistics)
{
    JsonFields fields(top.object(u"statistics"_s), top.path(u"statistics"_s));
    const auto count = [&fields](const QString &key) {
        return quint64(fields.integer(key, 0, maxCount).value_or(0));
    };
    statistics.totalScans = count(u"total_scans"_s);
    statistics.totalDiscovered = count(u"total_discovered"_s);
    statistics.totalAttachments = count(u"total_attachments"_s);
    statistics.totalFailed = count(u"total_failed"_s);
    statistics.totalExited = count(u"total_exited"_s);
    statistics.lastScanDurationMs = fields.number(u"last_scan_duration_ms"_s, 0).value_or(0);
    statistics.lastScanAt = top.dateTime(u"last_scan_at"_s);
    top.addError(fields.error());
}

void readProcesses(JsonFields &top, QMap<QString, TrackedProcess> &processes)
{
    const QJsonObject entries = top.object(u"processes"_s);
    for (auto it = entries.begin(); it != entries.end() && top.ok(); ++it) {
        const QString context = top.path(u"processes."_s + it.key());
        bool numeric = false;
        const int keyPid = it.key().toInt(&numeric);
        if (!it.value().isObject()) {
            top.fail(u"processes."_s + it.key(), u"must be an object"_s);
            break;
        }
        QString error;
        const std::optional<TrackedProcess> process =
            TrackedProcess::fromJson(it.value().toObject(), context, &error);
        if (!process)
            top.addError(error);
        else if (!numeric || keyPid != process->pid)
            top.fail(u"processes."_s + it.key(), u"key must be the entry's pid"_s);
        else
            processes.insert(it.key(), *process);
    }
}

} // namespace

StateFile::StateFile(QString path)
    : m_path(std::move(path))
{
}

QByteArray StateFile::serialize(const WatchState &state)
{
    QJsonObject processes;
    for (auto it = state.processes.cbegin(); it != state.processes.cend(); ++it)
        processes.insert(it.key(), it.value().toJson());
    const Statistics &s = state.statistics;
    const QJsonObject statistics{
        {u"total_scans"_s, qint64(s.totalScans)},
        {u"total_discovered"_s, qint64(s.totalDiscovered)},
        {u"total_attachments"_s, qint64(s.totalAttachments)},
        {u"total_failed"_s, qint64(s.totalFailed)},
        {u"total_exited"_s, qint64(s.totalExited)},
        {u"last_scan_duration_ms"_s, s.lastScanDurationMs},
    };
    const QJsonObject root{
        {u"schema_version"_s, WatchState::currentSchemaVersion},
        {u"last_scan_at"_s, dateTimeToJson(s.lastScanAt)},
        {u"processes"_s, processes},
        {u"statistics"_s, statistics},
        {u"health"_s, state.health.toJson()},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<WatchState> StateFile::parse(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error) {
            *error = document.isNull() ? u"invalid JSON at offset %1: %2"_s.arg(
                         QString::number(parseError.offset), parseError.errorString())
                                       : u"the top level is not a JSON object"_s;
        }
        return std::nullopt;
    }
    JsonFields top(document.object(), QString());
    WatchState state;
    state.schemaVersion = schemaVersionOf(top);
    readStatistics(top, state.statistics);
    readProcesses(top, state.processes);
    if (top.contains(u"health"_s)) {
        QString healthError;
        const std::optional<Health> health =
            Health::fromJson(top.object(u"health"_s), top.path(u"health"_s), &healthError);
        if (health)
            state.health = *health;
        else
            top.addError(healthError);
    }
    if (!top.ok()) {
        if (error)
            *error = top.error();
        return std::nullopt;
    }
    return state;
}

StateLoadResult StateFile::load(const QDateTime &now) const
{
    StateLoadResult result;
    QFile file(m_path);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly)) {
        result.warning = u"cannot read state file %1: %2; starting with an empty state"_s.arg(
            m_path, file.errorString());
        return result;
    }
    QString reason;
    std::optional<WatchState> state;
    if (file.size() > maxStateFileBytes)
        reason = u"larger than %1 bytes"_s.arg(maxStateFileBytes);
    else
        state = parse(file.readAll(), &reason);
    file.close();
    if (state) {
        result.state = *state;
        return result;
    }
    QString moveError;
    result.quarantinedPath = quarantine(now, &moveError);
    if (result.quarantinedPath.isEmpty()) {
        result.warning = u"state file %1 is unusable (%2) and could not be moved aside (%3); "
                         "starting with an empty state"_s.arg(m_path, reason, moveError);
    } else {
        result.warning = u"state file %1 is unusable (%2); moved it to %3, starting with an "
                         "empty state"_s.arg(m_path, reason, result.quarantinedPath);
    }
    return result;
}

QString StateFile::quarantine(const QDateTime &now, QString *error) const
{
    const QString base =
        m_path + u".corrupt-"_s + now.toUTC().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
    QString target = base;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = base + u'-' + QString::number(n);
    QFile file(m_path);
    if (!file.rename(target)) {
        *error = file.errorString();
        return {};
    }
    return target;
}

bool StateFile::save(const WatchState &state, QString *error) const
{
    QString failure;
    const QString dir = QFileInfo(m_path).absolutePath();
    const QString temporary = m_path + u".tmp-"_s + QString::number(::getpid());
    bool ok = QDir().mkpath(dir);
    if (!ok)
        failure = u"cannot create directory %1 for the state file"_s.arg(dir);
    ok = ok && writeDurably(temporary, serialize(state), &failure);
    if (ok && ::rename(QFile::encodeName(temporary).constData(),
                       QFile::encodeName(m_path).constData()) != 0) {
        failure = systemError(u"rename %1 to"_s.arg(temporary), m_path, errno);
        ok = false;
    }
    if (!ok)
        ::unlink(QFile::encodeName(temporary).constData());
    ok = ok && syncDirectory(dir, &failure);
    if (!ok && error)
        *error = failure;
    return ok;
}

} // namespace Pitwall
