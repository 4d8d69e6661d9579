#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace Pitwall {

// A canonical event as stored in the events table.
struct StoredEvent
{
    qint64 streamEpoch = 0;
    qint64 seq = 0;
    std::optional<QString> readerTimestamp;
    QByteArray rawFrame;
    QString readType;
    std::optional<QString> tagId;
    QDateTime receivedAt;
};

} // namespace Pitwall
