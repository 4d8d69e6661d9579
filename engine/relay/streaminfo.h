#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Pitwall {

// One stream as the API lists it (GET /api/v1/streams): identity, naming, epoch and whether its
// forwarder session and reader are up.
struct StreamInfo
{
    QString streamId, forwarderId, readerIp;
    std::optional<QString> displayAlias, forwarderDisplayName, currentEpochName;
    qint64 streamEpoch = 1;
    std::optional<qint64> pendingEpoch;
    bool online = false, readerConnected = false;
    QDateTime createdAt; // UTC

    // stream_id, forwarder_id, reader_ip, display_alias, forwarder_display_name, stream_epoch,
    // current_epoch_name, pending_epoch, online, reader_connected, created_at.
    QJsonObject toJson() const;
};

} // namespace Pitwall
