#include "relay/streaminfo.h"

#include "relay/jsonfield.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QJsonObject StreamInfo::toJson() const
{
    return {{u"stream_id"_s, streamId},
            {u"forwarder_id"_s, forwarderId},
            {u"reader_ip"_s, readerIp},
            {u"display_alias"_s, JsonField::optional(displayAlias)},
            {u"forwarder_display_name"_s, JsonField::optional(forwarderDisplayName)},
            {u"stream_epoch"_s, streamEpoch},
            {u"current_epoch_name"_s, JsonField::optional(currentEpochName)},
            {u"pending_epoch"_s, JsonField::optional(pendingEpoch)},
            {u"online"_s, online},
            {u"reader_connected"_s, readerConnected},
            {u"created_at"_s, JsonField::timestamp(createdAt)}};
}

} // namespace Pitwall
