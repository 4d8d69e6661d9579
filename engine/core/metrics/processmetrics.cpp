#include "core/metrics/processmetrics.h"

#include "core/log/logcategories.h"
#include "core/metrics/metricsregistry.h"
#include "core/metrics/metricswriter.h"

#include <QDir>
#include <QFile>

#include <limits>
#include <optional>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

std::optional<QByteArray> readProcFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qCDebug(lcMetrics) << "cannot read" << path << file.errorString();
        return std::nullopt;
    }
    return file.readAll();
}

std::optional<double> parseNumber(const QByteArray &text)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

std::optional<double> sysconfValue(int name)
{
    const long value = ::sysconf(name);
    return value > 0 ? std::optional<double>(double(value)) : std::nullopt;
}

// The first word after `key` on the first line starting with it, e.g. "btime 1700000000".
std::optional<QByteArray> fieldAfter(const QByteArray &text, const QByteArray &key)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).simplified().split(' ').constFirst();
    }
    return std::nullopt;
}

// /proc/<pid>/stat after the command name, which may itself contain spaces and parentheses: the
// first element is field 3 (state) of proc(5).
QList<QByteArray> statFields(const QByteArray &stat)
{
    const qsizetype close = stat.lastIndexOf(')');
    return close < 0 ? QList<QByteArray>{} : stat.mid(close + 1).simplified().split(' ');
}

std::optional<double> statField(const QList<QByteArray> &fields, int procFieldNumber)
{
    const int index = procFieldNumber - 3;
    return index < fields.size() ? parseNumber(fields.at(index)) : std::nullopt;
}

void writeCpuAndStartTime(MetricsWriter &out, const QDir &self)
{
    const std::optional<QByteArray> stat = readProcFile(self.filePath(u"stat"_s));
    const std::optional<double> ticks = sysconfValue(_SC_CLK_TCK);
    if (!stat || !ticks)
        return;
    const QList<QByteArray> fields = statFields(*stat);
    const std::optional<double> userTicks = statField(fields, 14);
    const std::optional<double> systemTicks = statField(fields, 15);
    if (userTicks && systemTicks)
        out.counter(u"process_cpu_seconds_total"_s,
                    u"Total user and system CPU time spent in seconds."_s, {},
                    (*userTicks + *systemTicks) / *ticks);

    const std::optional<double> startTicks = statField(fields, 22);
    if (!startTicks)
        return;
    const double startSinceBoot = *startTicks / *ticks;
    const std::optional<QByteArray> systemStat = readProcFile(self.filePath(u"../stat"_s));
    const std::optional<QByteArray> bootTime =
        systemStat ? fieldAfter(*systemStat, "btime") : std::nullopt;
    if (const std::optional<double> boot = bootTime ? parseNumber(*bootTime) : std::nullopt)
        out.gauge(u"process_start_time_seconds"_s,
                  u"Start time of the process since unix epoch in seconds."_s, {},
                  *boot + startSinceBoot);
    // Both sides count from boot, so wall-clock changes do not distort the uptime.
    const std::optional<QByteArray> uptimeText = readProcFile(self.filePath(u"../uptime"_s));
    // /proc/uptime: seconds since boot, then idle seconds.
    const std::optional<QByteArray> systemUptime =
        uptimeText ? fieldAfter(*uptimeText, {}) : std::nullopt;
    if (const std::optional<double> up = systemUptime ? parseNumber(*systemUptime) : std::nullopt)
        out.gauge(u"pitwall_uptime_seconds"_s, u"Seconds since the Pitwall process started."_s, {},
                  *up - startSinceBoot);
}

void writeMemory(MetricsWriter &out, const QDir &self)
{
    const std::optional<QByteArray> statm = readProcFile(self.filePath(u"statm"_s));
    const std::optional<double> pageSize = sysconfValue(_SC_PAGESIZE);
    if (!statm || !pageSize)
        return;
    // statm: size resident shared text lib data dt, in pages.
    const QList<QByteArray> pages = statm->simplified().split(' ');
    if (const std::optional<double> size = parseNumber(pages.value(0)))
        out.gauge(u"process_virtual_memory_bytes"_s, u"Virtual memory size in bytes."_s, {},
                  *size * *pageSize);
    if (const std::optional<double> resident = parseNumber(pages.value(1)))
        out.gauge(u"process_resident_memory_bytes"_s, u"Resident memory size in bytes."_s, {},
                  *resident * *pageSize);
}

void writeFileDescriptors(MetricsWriter &out, const QDir &self)
{
    const QDir fds(self.filePath(u"fd"_s));
    if (fds.exists()) {
        // Descriptors of sockets and pipes are dangling symlinks, which only QDir::System lists.
        const qsizetype open =
            fds.entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot)
                .size();
        out.gauge(u"process_open_fds"_s, u"Number of open file descriptors."_s, {}, double(open));
    }
    const std::optional<QByteArray> limits = readProcFile(self.filePath(u"limits"_s));
    const std::optional<QByteArray> softLimit =
        limits ? fieldAfter(*limits, "Max open files") : std::nullopt;
    if (!softLimit)
        return;
    const std::optional<double> maximum = *softLimit == "unlimited"
        ? std::optional<double>(std::numeric_limits<double>::infinity())
        : parseNumber(*softLimit);
    if (maximum)
        out.gauge(u"process_max_fds"_s, u"Maximum number of open file descriptors."_s, {},
                  *maximum);
}

} // namespace

void registerProcessMetrics(MetricsRegistry &registry, const QString &procSelfDir)
{
    registry.addCollector([self = QDir(procSelfDir)](MetricsWriter &out) {
        writeCpuAndStartTime(out, self);
        writeMemory(out, self);
        writeFileDescriptors(out, self);
        out.gauge(u"pitwall_build_info"_s,
                  u"Always 1; the version label tells which Pitwall build is running."_s,
                  {{u"version"_s, QStringLiteral(PITWALL_VERSION)}}, 1.0);
    });
}

} // namespace Pitwall
