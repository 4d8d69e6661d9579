#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Pitwall {

// One epoch of a stream (GET /api/v1/streams/{id}/epochs): its name and what its events span.
struct EpochInfo
{
    qint64 epoch = 1;
    std::optional<QString> name;
    qint64 eventCount = 0;
    std::optional<QDateTime> firstEventAt, lastEventAt; // UTC; unset without events
    bool isCurrent = false;

    // epoch, name, event_count, first_event_at, last_event_at, is_current.
    QJsonObject toJson() const;
};

} // namespace Pitwall
