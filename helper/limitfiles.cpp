#include "limitfiles.h"

using namespace Qt::StringLiterals;

namespace Pitwall::LimitFiles {

namespace {

constexpr qint64 periodUs = 100000;
constexpr qint64 bytesPerMb = qint64(1) << 20;

// 100 % is one core: the whole period.
qint64 quotaUs(int percent)
{
    return qint64(percent) * periodUs / 100;
}

// Writes the file, then reads what the kernel really holds.
std::optional<QByteArray> writeAndReadBack(const CgroupDir &dir, QLatin1StringView name,
                                           const QByteArray &value, QString *error)
{
    if (!dir.writeFile(name, value, error))
        return std::nullopt;
    return dir.readFile(name, error);
}

bool unexpected(const CgroupDir &dir, QLatin1StringView name, const QByteArray &read,
                QString *error)
{
    if (error)
        *error = u"%1 in %2 reads back \"%3\", not a limit"_s.arg(name, dir.path(),
                                                                 QString::fromUtf8(read.left(64)));
    return false;
}

std::optional<qint64> positive(const QByteArray &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value > 0 ? std::optional<qint64>(value) : std::nullopt;
}

// One numeric file: write `value`, read it back as a positive number.
bool writeNumber(const CgroupDir &dir, QLatin1StringView name, qint64 value, qint64 *readBack,
                 QString *error)
{
    const auto read = writeAndReadBack(dir, name, QByteArray::number(value), error);
    if (!read)
        return false;
    const auto number = positive(*read);
    if (!number)
        return unexpected(dir, name, *read, error);
    *readBack = *number;
    return true;
}

bool writeMemory(const CgroupDir &dir, QLatin1StringView name, qint64 mb,
                 std::optional<qint64> &applied, QString *error)
{
    qint64 bytes = 0;
    if (!writeNumber(dir, name, mb * bytesPerMb, &bytes, error))
        return false;
    applied = bytes / bytesPerMb;
    return true;
}

// The kernel normalises what it stores (v1 shares are integers); converting back rounds to
// the nearest weight, so w -> w*1024/100 -> w holds for every weight in 1..10000.
int weightFromShares(qint64 shares)
{
    return int((shares * 100 + 512) / 1024);
}

bool requireController(const CgroupDir &job, const QByteArray &controller, QStringView limit,
                       QString *error)
{
    const auto controllers = job.readFile("cgroup.controllers"_L1, error);
    if (!controllers)
        return false;
    if (controllers->split(' ').contains(controller))
        return true;
    if (error) {
        *error = u"the %1 controller is not enabled for %2 (cgroup.controllers: \"%3\"), so %4 "
                 u"cannot be applied"_s.arg(QString::fromLatin1(controller), job.path(),
                                            QString::fromUtf8(*controllers), limit);
    }
    return false;
}

} // namespace

std::optional<CgroupLimits> applyUnified(const CgroupDir &job, const CgroupLimits &limits,
                                         QString *error)
{
    CgroupLimits applied;
    if (limits.cpuQuotaPercent || limits.cpuWeight) {
        if (!requireController(job, "cpu", limits.cpuQuotaPercent ? u"cpu_quota" : u"cpu_weight",
                               error))
            return std::nullopt;
    }
    if (limits.memoryLimitMb || limits.memoryHighMb) {
        if (!requireController(job, "memory",
                               limits.memoryLimitMb ? u"memory_limit" : u"memory_high", error))
            return std::nullopt;
    }
    if (limits.cpuQuotaPercent) {
        const QByteArray value = QByteArray::number(quotaUs(*limits.cpuQuotaPercent)) + ' '
            + QByteArray::number(periodUs);
        const auto read = writeAndReadBack(job, "cpu.max"_L1, value, error);
        if (!read)
            return std::nullopt;
        const QList<QByteArray> parts = read->split(' ');
        const auto quota = positive(parts.value(0));
        const auto period = positive(parts.value(1));
        if (parts.size() != 2 || !quota || !period) {
            unexpected(job, "cpu.max"_L1, *read, error);
            return std::nullopt;
        }
        applied.cpuQuotaPercent = int(*quota * 100 / *period);
    }
    qint64 number = 0;
    if (limits.cpuWeight) {
        if (!writeNumber(job, "cpu.weight"_L1, *limits.cpuWeight, &number, error))
            return std::nullopt;
        applied.cpuWeight = int(number);
    }
    if (limits.memoryHighMb
        && !writeMemory(job, "memory.high"_L1, *limits.memoryHighMb, applied.memoryHighMb, error))
        return std::nullopt;
    if (limits.memoryLimitMb
        && !writeMemory(job, "memory.max"_L1, *limits.memoryLimitMb, applied.memoryLimitMb, error))
        return std::nullopt;
    return applied;
}

std::optional<CgroupLimits> applyV1(const CgroupDir &cpuJob, const CgroupDir &memoryJob,
                                    const CgroupLimits &limits, QString *error)
{
    CgroupLimits applied;
    qint64 number = 0;
    if (limits.cpuQuotaPercent) {
        qint64 period = 0;
        // The period first: the quota is checked against it.
        if (!writeNumber(cpuJob, "cpu.cfs_period_us"_L1, periodUs, &period, error)
            || !writeNumber(cpuJob, "cpu.cfs_quota_us"_L1,
                            quotaUs(*limits.cpuQuotaPercent), &number, error))
            return std::nullopt;
        applied.cpuQuotaPercent = int(number * 100 / period);
    }
    if (limits.cpuWeight) {
        if (!writeNumber(cpuJob, "cpu.shares"_L1, qint64(*limits.cpuWeight) * 1024 / 100, &number,
                         error))
            return std::nullopt;
        applied.cpuWeight = weightFromShares(number);
    }
    if (limits.memoryLimitMb
        && !writeMemory(memoryJob, "memory.limit_in_bytes"_L1, *limits.memoryLimitMb,
                        applied.memoryLimitMb, error))
        return std::nullopt;
    return applied;
}

} // namespace Pitwall::LimitFiles
