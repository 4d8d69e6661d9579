#include "appliedlimits.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

std::optional<QStringList> stringList(const QJsonValue &value, QStringView key, QString *error)
{
    if (value.isUndefined())
        return QStringList();
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (!item.isString())
            break;
        list << item.toString();
    }
    if (!value.isArray() || list.size() != array.size()) {
        if (error)
            *error = key.toString() + u" must be an array of strings"_s;
        return std::nullopt;
    }
    return list;
}

} // namespace

QJsonObject AppliedLimits::toJson() const
{
    QJsonObject object{{u"applied"_s, limits.toJson()},
                       {u"paths"_s, QJsonArray::fromStringList(paths)}};
    if (!unsupported.isEmpty())
        object.insert(u"unsupported"_s, QJsonArray::fromStringList(unsupported));
    return object;
}

std::optional<AppliedLimits> AppliedLimits::fromJson(const QJsonObject &object, QString *error)
{
    if (!object.value(u"applied"_s).isObject()) {
        if (error)
            *error = u"applied must be an object"_s;
        return std::nullopt;
    }
    const auto limits = CgroupLimits::fromJson(object.value(u"applied"_s).toObject(), error);
    if (!limits)
        return std::nullopt;
    const auto paths = stringList(object.value(u"paths"_s), u"paths", error);
    if (!paths)
        return std::nullopt;
    const auto unsupported = stringList(object.value(u"unsupported"_s), u"unsupported", error);
    if (!unsupported)
        return std::nullopt;
    return AppliedLimits{*limits, *paths, *unsupported};
}

} // namespace Pitwall
