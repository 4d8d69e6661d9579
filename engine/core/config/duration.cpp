#include "core/config/duration.h"

#include <QRegularExpression>

#include <array>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct Unit
{
    QStringView suffix;
    double milliseconds;
};

constexpr std::array units{
    Unit{u"ns", 1e-6}, Unit{u"us", 1e-3}, Unit{u"µs", 1e-3}, Unit{u"ms", 1.0},
    Unit{u"s", 1e3},   Unit{u"m", 60e3},  Unit{u"h", 3600e3},
};

std::optional<double> unitMilliseconds(QStringView suffix)
{
    for (const Unit &unit : units) {
        if (unit.suffix == suffix)
            return unit.milliseconds;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::chrono::milliseconds> parseDuration(QStringView text)
{
    static const QRegularExpression part(u"(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)"_s);
    const QString trimmed = text.trimmed().toString();
    if (trimmed == u"0")
        return std::chrono::milliseconds::zero();
    if (trimmed.isEmpty())
        return std::nullopt;

    double total = 0;
    qsizetype position = 0;
    auto it = part.globalMatch(trimmed);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedStart() != position)
            return std::nullopt;
        total += match.captured(1).toDouble() * *unitMilliseconds(match.capturedView(2));
        position = match.capturedEnd();
    }
    if (position != trimmed.size())
        return std::nullopt;
    // A year in milliseconds is far below this; larger values are typos, not intent.
    if (total > 1e13)
        return std::nullopt;
    return std::chrono::milliseconds(qRound64(total));
}

QString formatDuration(std::chrono::milliseconds duration)
{
    const qint64 ms = duration.count();
    if (ms == 0)
        return u"0s"_s;
    if (ms % 3600000 == 0)
        return QString::number(ms / 3600000) + u'h';
    if (ms % 60000 == 0)
        return QString::number(ms / 60000) + u'm';
    if (ms % 1000 == 0)
        return QString::number(ms / 1000) + u's';
    return QString::number(ms) + u"ms"_s;
}

} // namespace Pitwall
