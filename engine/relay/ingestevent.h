#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Pitwall {

// One read as a forwarder sends it, ready for EventStore::ingest(). tagId comes from parsing
// rawFrame (IPICO chip id); std::nullopt when the frame is not a chip read.
struct IngestEvent
{
    qint64 streamEpoch = 0;
    qint64 seq = 0;
    std::optional<QString> readerTimestamp;
    QByteArray rawFrame;
    QString readType;
    std::optional<QString> tagId;
};

} // namespace Pitwall
