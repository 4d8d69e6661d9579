#include "watch/trackedprocess.h"

#include "watch/jsonfields.h"

#include <QHashFunctions>
#include <QJsonArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// JSON numbers are doubles: integers beyond 2^53 would silently lose precision.
constexpr qint64 maxJsonInteger = qint64(1) << 53;

} // namespace

size_t qHash(const ProcessKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.pid, key.startTimeTicks);
}

QJsonObject TrackedProcess::toJson() const
{
    return QJsonObject{
        {u"pid"_s, pid},
        {u"start_time"_s, qint64(startTimeTicks)},
        {u"command"_s, command},
        {u"job_id"_s, jobId},
        {u"discovered_at"_s, dateTimeToJson(discoveredAt)},
        {u"attached_at"_s, dateTimeToJson(attachedAt)},
        {u"last_seen_at"_s, dateTimeToJson(lastSeenAt)},
        {u"cgroup_paths"_s, QJsonArray::fromStringList(cgroupPaths)},
        {u"limits_applied"_s, limitsApplied.toJson()},
        {u"exe_path"_s, exePath},
        {u"uid"_s, qint64(uid)},
        {u"ppid"_s, ppid},
    };
}

std::optional<TrackedProcess> TrackedProcess::fromJson(const QJsonObject &object,
                                                       const QString &context, QString *error)
{
    JsonFields fields(object, context);
    TrackedProcess process;
    fields.require(u"pid"_s);
    process.pid = int(fields.integer(u"pid"_s, 1, std::numeric_limits<int>::max()).value_or(0));
    process.startTimeTicks = quint64(fields.integer(u"start_time"_s, 0, maxJsonInteger).value_or(0));
    process.command = fields.string(u"command"_s);
    process.jobId = fields.string(u"job_id"_s);
    process.discoveredAt = fields.dateTime(u"discovered_at"_s);
    process.attachedAt = fields.dateTime(u"attached_at"_s);
    process.lastSeenAt = fields.dateTime(u"last_seen_at"_s);
    process.cgroupPaths = fields.stringList(u"cgroup_paths"_s);
    process.exePath = fields.string(u"exe_path"_s);
    process.uid = uint(fields.integer(u"uid"_s, 0, std::numeric_limits<uint>::max()).value_or(0));
    process.ppid = int(fields.integer(u"ppid"_s, 0, std::numeric_limits<int>::max()).value_or(0));
    if (fields.contains(u"limits_applied"_s)) {
        QString limitsError;
        const std::optional<CgroupLimits> limits =
            CgroupLimits::fromJson(fields.object(u"limits_applied"_s), &limitsError);
        if (limits)
            process.limitsApplied = *limits;
        else
            fields.fail(u"limits_applied"_s, limitsError);
    }
    if (!fields.ok()) {
        if (error)
            *error = fields.error();
        return std::nullopt;
    }
    return process;
}

} // namespace Pitwall
