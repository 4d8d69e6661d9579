#include "relay/streammetricsjson.h"

#include "relay/jsonfield.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QJsonObject streamMetricsJson(const StreamMetrics &metrics)
{
    return {{u"raw_count"_s, metrics.rawCount},
            {u"dedup_count"_s, metrics.dedupCount},
            {u"retransmit_count"_s, metrics.retransmitCount},
            {u"conflict_count"_s, metrics.conflictCount},
            {u"lag_ms"_s, JsonField::optional(metrics.lagMs)},
            {u"backlog"_s, metrics.backlog},
            {u"stream_epoch"_s, metrics.streamEpoch},
            {u"pending_epoch"_s, JsonField::optional(metrics.pendingEpoch)},
            {u"epoch_raw_count"_s, metrics.epochRawCount},
            {u"epoch_dedup_count"_s, metrics.epochDedupCount},
            {u"epoch_retransmit_count"_s, metrics.epochRetransmitCount},
            {u"epoch_conflict_count"_s, metrics.epochConflictCount},
            {u"epoch_lag_ms"_s, JsonField::optional(metrics.epochLagMs)},
            {u"epoch_last_received_at"_s, JsonField::timestamp(metrics.epochLastReceivedAt)},
            {u"unique_chips"_s, metrics.uniqueChips},
            {u"last_tag_id"_s, JsonField::optional(metrics.lastTagId)},
            {u"last_reader_timestamp"_s, JsonField::optional(metrics.lastReaderTimestamp)}};
}

} // namespace Pitwall
