#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonValue>
#include <QString>

namespace Pitwall {

// How the relay panels spell values: counts with digit grouping, durations in the largest
// sensible units, UTC timestamps in local time. Null JSON values show as empty text.
class RelayFormat final
{
    Q_DECLARE_TR_FUNCTIONS(Pitwall::RelayFormat)

public:
    static QString count(const QJsonValue &value);
    static QString duration(qint64 ms);
    static QString timestamp(const QDateTime &time);
    // An RFC 3339 value of the relay API.
    static QString timestamp(const QJsonValue &value);
    static QString epoch(const QJsonValue &epoch, const QJsonValue &name);
};

} // namespace Pitwall
