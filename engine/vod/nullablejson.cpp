#include "vod/nullablejson.h"

using namespace Qt::StringLiterals;

namespace Pitwall::NullableJson {

QJsonValue timestamp(const QDateTime &time, Absent absent)
{
    return text(time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString(), absent);
}

QJsonValue text(const QString &value, Absent absent)
{
    if (value.isEmpty() && absent == Absent::Null)
        return QJsonValue::Null;
    return value;
}

} // namespace Pitwall::NullableJson
