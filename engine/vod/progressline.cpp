#include "vod/progressline.h"

#include <QByteArray>
#include <QList>

#include <cctype>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr QByteArrayView marker = "PWPROG";
// Far beyond any VOD, and small enough that sums and percent products cannot overflow.
constexpr double maxBytes = 1e15;

// A whole or decimal number of at most maxBytes; nothing for NA and anything else.
std::optional<double> decimal(QByteArrayView field)
{
    if (field.isEmpty() || field.size() > 24 || field.front() == '.' || field.back() == '.')
        return std::nullopt;
    qsizetype dots = 0;
    for (const char c : field) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return std::nullopt;
    }
    bool ok = false;
    const double value = field.toByteArray().toDouble(&ok);
    if (dots > 1 || !ok || value > maxBytes)
        return std::nullopt;
    return value;
}

// yt-dlp prints estimates as floats ("1310720.0").
std::optional<qint64> byteCount(QByteArrayView field)
{
    const std::optional<double> value = decimal(field);
    return value ? std::optional<qint64>(qint64(*value)) : std::nullopt;
}

std::optional<int> count(QByteArrayView field)
{
    const std::optional<double> value = decimal(field);
    if (!value || field.contains('.') || *value > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(*value);
}

// "2.0MiB", "512KiB", "0B" as aria2c abbreviates sizes.
std::optional<qint64> aria2cSize(QByteArrayView text)
{
    static constexpr struct { QByteArrayView unit; double factor; } units[] = {
        {"GiB", 1024.0 * 1024.0 * 1024.0}, {"MiB", 1024.0 * 1024.0}, {"KiB", 1024.0}, {"B", 1.0}};
    for (const auto &[unit, factor] : units) {
        if (!text.endsWith(unit))
            continue;
        const std::optional<double> value = decimal(text.chopped(unit.size()));
        if (!value || *value * factor > maxBytes)
            return std::nullopt;
        return qint64(std::llround(*value * factor));
    }
    return std::nullopt;
}

std::optional<ProgressLine> templateLine(QByteArrayView rest)
{
    const QList<QByteArray> fields = rest.toByteArray().split(' ');
    if (fields.size() != 6)
        return std::nullopt;
    ProgressLine line;
    if (fields[0] == "downloading")
        line.status = ProgressLine::Status::Downloading;
    else if (fields[0] == "finished")
        line.status = ProgressLine::Status::Finished;
    else if (fields[0].isEmpty())
        return std::nullopt;
    line.downloadedBytes = byteCount(fields[1]);
    line.totalBytes = byteCount(fields[2]);
    line.totalBytesEstimate = byteCount(fields[3]);
    line.fragmentIndex = count(fields[4]);
    line.fragmentCount = count(fields[5]);
    return line;
}

// "[#gid DONE/TOTAL(PCT%) CN:... ]": the first entry is the file being downloaded.
std::optional<ProgressLine> aria2cLine(QByteArrayView text)
{
    const qsizetype space = text.indexOf(' ');
    if (space < 3 || !text.startsWith("[#"))
        return std::nullopt;
    for (const char c : text.sliced(2, space - 2)) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
    }
    QByteArrayView sizes = text.sliced(space + 1);
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        if (sizes.at(i) == ' ' || sizes.at(i) == '(' || sizes.at(i) == ']') {
            sizes.truncate(i);
            break;
        }
    }
    const qsizetype slash = sizes.indexOf('/');
    if (slash < 0)
        return std::nullopt;
    const std::optional<qint64> done = aria2cSize(sizes.first(slash));
    const std::optional<qint64> total = aria2cSize(sizes.sliced(slash + 1));
    if (!done || !total)
        return std::nullopt;
    ProgressLine line;
    line.status = ProgressLine::Status::Downloading;
    line.downloadedBytes = done;
    if (*total > 0)
        line.totalBytes = total;
    return line;
}

} // namespace

QString progressTemplate()
{
    return u"download:%1 %(progress.status)s %(progress.downloaded_bytes)s "
           "%(progress.total_bytes)s %(progress.total_bytes_estimate)s "
           "%(progress.fragment_index)s %(progress.fragment_count)s"_s
        .arg(QLatin1StringView(marker.data(), marker.size()));
}

std::optional<ProgressLine> parseProgressLine(QByteArrayView line)
{
    line = line.trimmed();
    if (line.startsWith(marker) && line.size() > marker.size() && line.at(marker.size()) == ' ')
        return templateLine(line.sliced(marker.size() + 1));
    return aria2cLine(line);
}

} // namespace Pitwall
