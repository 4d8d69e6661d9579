#include "relayformat.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Pitwall {

QString RelayFormat::count(const QJsonValue &value)
{
    if (!value.isDouble())
        return {};
    return QLocale().toString(value.toInteger());
}

QString RelayFormat::duration(qint64 ms)
{
    constexpr qint64 second = 1000;
    constexpr qint64 minute = 60 * second;
    constexpr qint64 hour = 60 * minute;
    if (ms < second)
        return tr("%1 ms").arg(ms);
    if (ms < minute)
        return tr("%1 s").arg(QLocale().toString(double(ms) / second, 'f', 1));
    if (ms < hour)
        return tr("%1 min %2 s").arg(ms / minute).arg(ms % minute / second);
    return tr("%1 h %2 min").arg(ms / hour).arg(ms % hour / minute);
}

QString RelayFormat::timestamp(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // Seconds matter on a timing relay; the locale's short formats drop them.
    return time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString RelayFormat::timestamp(const QJsonValue &value)
{
    return timestamp(QDateTime::fromString(value.toString(), Qt::ISODateWithMs));
}

QString RelayFormat::epoch(const QJsonValue &epoch, const QJsonValue &name)
{
    if (!epoch.isDouble())
        return {};
    const QString number = QString::number(epoch.toInteger());
    const QString label = name.toString();
    return label.isEmpty() ? number : tr("%1 (%2)").arg(number, label);
}

} // namespace Pitwall
