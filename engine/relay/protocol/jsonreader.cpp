#include "relay/protocol/jsonreader.h"

#include "relay/protocol/protocollimits.h"

#include <QMetaType>
#include <QVariant>

#include <utility>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The integer in `value` within [min, max]; otherwise nullopt and *reason says why. Field paths
// are built by the callers only on failure: a batch has tens of thousands of raw_frame bytes.
std::optional<qint64> integerIn(const QJsonValue &value, qint64 min, qint64 max, QString *reason)
{
    // Qt keeps whole numbers that fit in 64 bits as integers (1, but also 1.0 and 1e3: its
    // parser does not keep the difference) and everything else as doubles: fractions and
    // values beyond i64 are refused.
    if (!value.isDouble() || value.toVariant().typeId() != QMetaType::LongLong) {
        *reason = u"expected an integer"_s;
        return std::nullopt;
    }
    const qint64 number = value.toInteger();
    if (number < min || number > max) {
        *reason = max == std::numeric_limits<qint64>::max()
                ? u"expected an integer >= %1, got %2"_s.arg(min).arg(number)
                : u"expected an integer in %1..%2, got %3"_s.arg(min).arg(max).arg(number);
        return std::nullopt;
    }
    return number;
}

} // namespace

JsonReader::JsonReader(QJsonObject object, QString path, ParseError *error)
    : m_object(std::move(object))
    , m_path(std::move(path))
    , m_error(error)
{
}

bool JsonReader::ok() const
{
    return m_error->field.isEmpty() && m_error->reason.isEmpty();
}

bool JsonReader::contains(const QString &key) const
{
    return m_object.contains(key);
}

QString JsonReader::path(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

QString JsonReader::indexPath(const QString &key, qsizetype index) const
{
    return path(key) + u'[' + QString::number(index) + u']';
}

void JsonReader::fail(const QString &fieldPath, const QString &reason)
{
    if (!ok())
        return;
    m_error->kind = ParseError::Kind::InvalidField;
    m_error->code = ErrorCode::ProtocolError;
    m_error->field = fieldPath;
    m_error->reason = reason;
}

QJsonValue JsonReader::required(const QString &key)
{
    if (!ok())
        return QJsonValue(QJsonValue::Undefined);
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd()) {
        fail(path(key), u"missing required field"_s);
        return QJsonValue(QJsonValue::Undefined);
    }
    return it.value();
}

QString JsonReader::string(const QString &key)
{
    const QJsonValue value = required(key);
    if (!value.isUndefined() && !value.isString())
        fail(path(key), u"expected a string"_s);
    return value.toString();
}

std::optional<QString> JsonReader::optionalString(const QString &key)
{
    const QJsonValue value = m_object.value(key);
    if (!ok() || value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isString()) {
        fail(path(key), u"expected a string or null"_s);
        return std::nullopt;
    }
    return value.toString();
}

bool JsonReader::boolean(const QString &key)
{
    const QJsonValue value = required(key);
    if (!value.isUndefined() && !value.isBool())
        fail(path(key), u"expected true or false"_s);
    return value.toBool();
}

qint64 JsonReader::integer(const QString &key, qint64 min, qint64 max)
{
    const QJsonValue value = required(key);
    if (value.isUndefined())
        return min;
    QString reason;
    const std::optional<qint64> number = integerIn(value, min, max, &reason);
    if (!number)
        fail(path(key), reason);
    return number.value_or(min);
}

std::optional<qint64> JsonReader::optionalInteger(const QString &key, qint64 min, qint64 max)
{
    const QJsonValue value = m_object.value(key);
    if (!ok() || value.isUndefined() || value.isNull())
        return std::nullopt;
    QString reason;
    const std::optional<qint64> number = integerIn(value, min, max, &reason);
    if (!number)
        fail(path(key), reason);
    return number;
}

QJsonValue JsonReader::value(const QString &key)
{
    const QJsonValue value = required(key);
    return value.isUndefined() ? QJsonValue() : value;
}

QJsonArray JsonReader::arrayField(const QString &key, bool optional)
{
    if (!ok() || (optional && !m_object.contains(key)))
        return {};
    const QJsonValue value = required(key);
    if (value.isUndefined())
        return {};
    if (!value.isArray()) {
        fail(path(key), u"expected an array"_s);
        return {};
    }
    const QJsonArray array = value.toArray();
    if (array.size() > ProtocolLimits::MaxArrayItems) {
        fail(path(key), u"more than %1 items"_s.arg(ProtocolLimits::MaxArrayItems));
        return {};
    }
    return array;
}

QByteArray JsonReader::bytes(const QString &key, qsizetype maxBytes)
{
    const QJsonArray array = arrayField(key, false);
    if (array.size() > maxBytes) {
        fail(path(key), u"longer than %1 bytes"_s.arg(maxBytes));
        return {};
    }
    QByteArray bytes;
    bytes.reserve(array.size());
    QString reason;
    for (qsizetype i = 0; ok() && i < array.size(); ++i) {
        const std::optional<qint64> byte = integerIn(array.at(i), 0, 255, &reason);
        if (!byte) {
            fail(indexPath(key, i), reason);
            break;
        }
        bytes.append(char(*byte));
    }
    return ok() ? bytes : QByteArray();
}

QStringList JsonReader::stringList(const QString &key)
{
    QStringList strings;
    const QJsonArray array = arrayField(key, false);
    for (qsizetype i = 0; ok() && i < array.size(); ++i) {
        if (!array.at(i).isString())
            fail(indexPath(key, i), u"expected a string"_s);
        else
            strings.append(array.at(i).toString());
    }
    return strings;
}

JsonReader JsonReader::object(const QString &key)
{
    const QJsonValue value = required(key);
    if (!value.isUndefined() && !value.isObject())
        fail(path(key), u"expected an object"_s);
    return JsonReader(value.toObject(), path(key), m_error);
}

} // namespace Pitwall
