#pragma once

#include <QString>

#include <optional>

namespace Pitwall {

// A stream as ingest needs it: its id, current epoch and the epoch a requested reset targets.
struct StreamRecord
{
    QString streamId;
    qint64 streamEpoch = 1;
    std::optional<qint64> pendingEpoch;
    bool created = false;
};

} // namespace Pitwall
