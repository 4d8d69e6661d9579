#include "relay/jsonfield.h"

namespace Pitwall::JsonField {

QJsonValue timestamp(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue optional(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue optional(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue optional(const std::optional<QDateTime> &time)
{
    return timestamp(time.value_or(QDateTime()));
}

} // namespace Pitwall::JsonField
