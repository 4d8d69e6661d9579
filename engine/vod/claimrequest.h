#pragma once

#include <QDateTime>
#include <QString>

#include <chrono>

namespace Pitwall {

// What VodStore::claimNext() needs to pick a channel's next VOD for one worker.
struct ClaimRequest
{
    QString channel;
    // Who claims: unique per worker across every node on the database (host, pid, slot), so
    // leases of different daemons never match.
    QString owner;
    QDateTime now;
    // The lease runs out this long after now unless renewed; a dead worker's claim is free
    // again after it.
    std::chrono::milliseconds leaseDuration = std::chrono::minutes(2);
    // The back-catalogue cap: when valid, rows dated before it are not claimed.
    QDateTime notDatedBefore;
};

} // namespace Pitwall
