#pragma once

#include <QDateTime>
#include <QString>

namespace Pitwall {

// How far a receiver has acknowledged one epoch of one stream.
struct ReceiverCursor
{
    QString receiverId;
    QString streamId;
    qint64 streamEpoch = 0;
    qint64 lastSeq = 0;
    QDateTime updatedAt;
};

} // namespace Pitwall
