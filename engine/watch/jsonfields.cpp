#include "watch/jsonfields.h"

#include <QJsonArray>

#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace Pitwall {

JsonFields::JsonFields(QJsonObject object, QString context)
    : m_object(std::move(object))
    , m_context(std::move(context))
{
}

QString JsonFields::path(const QString &key) const
{
    return m_context.isEmpty() ? key : m_context + u'.' + key;
}

void JsonFields::fail(const QString &key, const QString &rule)
{
    addError(path(key) + u": "_s + rule);
}

void JsonFields::addError(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

bool JsonFields::contains(const QString &key) const
{
    return !present(key).isUndefined();
}

QJsonValue JsonFields::present(const QString &key) const
{
    const QJsonValue value = m_object.value(key);
    return value.isNull() ? QJsonValue(QJsonValue::Undefined) : value;
}

void JsonFields::require(const QString &key)
{
    if (!contains(key))
        fail(key, u"is required"_s);
}

std::optional<qint64> JsonFields::integer(const QString &key, qint64 min, qint64 max)
{
    const QJsonValue value = present(key);
    if (value.isUndefined())
        return std::nullopt;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || std::floor(number) != number) {
        fail(key, u"must be an integer"_s);
        return std::nullopt;
    }
    if (number < double(min) || number > double(max)) {
        fail(key, u"must be between %1 and %2"_s.arg(min).arg(max));
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<double> JsonFields::number(const QString &key, double min)
{
    const QJsonValue value = present(key);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isDouble() || value.toDouble() < min) {
        fail(key, u"must be a number of at least %1"_s.arg(min));
        return std::nullopt;
    }
    return value.toDouble();
}

QString JsonFields::string(const QString &key)
{
    const QJsonValue value = present(key);
    if (!value.isUndefined() && !value.isString())
        fail(key, u"must be a string"_s);
    return value.toString();
}

QDateTime JsonFields::dateTime(const QString &key)
{
    const QString text = string(key);
    if (text.isEmpty())
        return {};
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid()) {
        fail(key, u"must be an RFC 3339 timestamp, not \"%1\""_s.arg(text));
        return {};
    }
    // Go writes its zero time for "never" (the old daemon's attached_at before the attach).
    if (parsed.date().year() <= 1)
        return {};
    return parsed.toUTC();
}

QStringList JsonFields::stringList(const QString &key)
{
    const QJsonValue value = present(key);
    if (value.isUndefined())
        return {};
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (!item.isString()) {
            fail(key, u"must be an array of strings"_s);
            return {};
        }
        list.append(item.toString());
    }
    if (!value.isArray())
        fail(key, u"must be an array of strings"_s);
    return list;
}

QJsonObject JsonFields::object(const QString &key)
{
    const QJsonValue value = present(key);
    if (!value.isUndefined() && !value.isObject())
        fail(key, u"must be an object"_s);
    return value.toObject();
}

QJsonValue dateTimeToJson(const QDateTime &dateTime)
{
    if (!dateTime.isValid())
        return QJsonValue::Null;
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace Pitwall
