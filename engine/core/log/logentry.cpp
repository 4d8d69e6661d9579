#include "core/log/logentry.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QJsonObject LogEntry::toJson() const
{
    QJsonObject json = fields;
    json.insert(u"id"_s, static_cast<qint64>(id));
    json.insert(u"ts"_s, logTimestamp(timestamp));
    json.insert(u"level"_s, logLevelName(level));
    json.insert(u"component"_s, component);
    json.insert(u"msg"_s, message);
    if (correlationId.isEmpty())
        json.remove(u"corr"_s);
    else
        json.insert(u"corr"_s, correlationId);
    return json;
}

QString logTimestamp(const QDateTime &timestamp)
{
    return timestamp.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace Pitwall
