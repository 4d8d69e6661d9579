#pragma once

#include "relay/streammetrics.h"

#include <QJsonObject>

namespace Pitwall {

// The metrics object of GET /api/v1/streams/{id}/metrics: the reference server's fields
// (raw_count ... last_reader_timestamp, with a real backlog) plus conflict_count,
// epoch_conflict_count, stream_epoch and pending_epoch.
QJsonObject streamMetricsJson(const StreamMetrics &metrics);

} // namespace Pitwall
