#include "relay/epochinfo.h"

#include "relay/jsonfield.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QJsonObject EpochInfo::toJson() const
{
    return {{u"epoch"_s, epoch},
            {u"name"_s, JsonField::optional(name)},
            {u"event_count"_s, eventCount},
            {u"first_event_at"_s, JsonField::optional(firstEventAt)},
            {u"last_event_at"_s, JsonField::optional(lastEventAt)},
            {u"is_current"_s, isCurrent}};
}

} // namespace Pitwall
