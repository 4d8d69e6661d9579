#pragma once

#include "relay/storeerror.h"
#include "vod/vodchanges.h"
#include "vod/vodrecord.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariantList>

#include <functional>
#include <optional>

namespace Pitwall {

class Database;

// The write path every state change of VodStore takes, in one transaction: pick and lock one
// row of vods (FOR UPDATE on PostgreSQL, optionally SKIP LOCKED; SQLite's BEGIN IMMEDIATE holds
// the write lock already), let the caller decide from its current values, write the decision
// together with an audit row, and read the row back.
class VodRowChange final
{
public:
    enum class Lease { Keep, Release, Take };

    // What to write; produced by the caller's decision.
    struct Plan
    {
        Plan(VodState target, const QString &why, const QString &who, VodChanges with = {})
            : to(target), reason(why), actor(who), changes(std::move(with))
        {
        }

        VodState to = VodState::Queued;
        QString reason;
        QString actor;
        VodChanges changes;
        // Columns only the store itself sets (attempt counters).
        QList<VodChanges::Assignment> counters;
        Lease lease = Lease::Keep;
        QString leaseOwner;       // for Take
        QDateTime leaseExpiresAt; // for Take
        // An audit row also when the state stays (a claim taking over an expired lease).
        bool auditUnchanged = false;
    };
    // Nullopt refuses (and fills *error): the transaction is rolled back.
    using Decide = std::function<std::optional<Plan>(const VodRecord &current, StoreError *error)>;

    struct Target
    {
        // What follows "SELECT <columns> FROM vods WHERE": a condition, possibly with ORDER BY
        // and LIMIT 1.
        QString where;
        QVariantList values;
        bool skipLocked = false;
        // The NotFound message when no row matches.
        QString missing;
    };

    static std::optional<VodRecord> run(const Database &database, const Target &target,
                                        const Decide &decide, StoreError *error);
};

} // namespace Pitwall
