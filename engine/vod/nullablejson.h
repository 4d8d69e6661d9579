#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

namespace Pitwall {

// JSON values of columns that may be NULL (read as an empty text or an invalid time), shared by
// the VOD and the chat JSON so both write times and absent values alike.
namespace NullableJson {

// What an absent value becomes: JSON null, or "" where the reference API always answered with
// a string (its chat rows).
enum class Absent { Null, EmptyString };

// RFC 3339 in UTC with milliseconds.
QJsonValue timestamp(const QDateTime &time, Absent absent);
QJsonValue text(const QString &value, Absent absent);

} // namespace NullableJson

} // namespace Pitwall
