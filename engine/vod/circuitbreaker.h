#pragma once

#include "relay/storeerror.h"
#include "vod/circuitstate.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

class Database;

// One channel's circuit breaker for downloads (research §1.9), its state in kv under the
// runbook's keys: circuit_state (closed, open, half-open; missing reads as closed),
// circuit_failures (decimal) and circuit_open_until (RFC 3339 UTC). The runbook's
// `DELETE FROM kv WHERE key IN ('circuit_state','circuit_failures','circuit_open_until')`
// therefore closes it.
//
//   closed    -> open       recordFailure() reaches the threshold; open_until = now + cooldown
//   open      -> half-open  beforeCycle() once open_until has passed: that cycle is the probe
//   half-open -> open       recordFailure(), with a new open_until (failures unchanged)
//   any       -> closed     recordSuccess(): failures 0, open_until removed
//
// A threshold of 0 disables it: every cycle runs, failures are not counted (a stale open state
// is still cleared by a success). Each call is one transaction (on PostgreSQL under an advisory
// lock per channel), so daemons sharing the database count every failure. What counts as a
// failure is the caller's business: a download cycle that failed, not a cancel, not
// auth-required, never an upload.
class CircuitBreaker final
{
public:
    CircuitBreaker(const Database &database, const QString &channel, int threshold,
                   std::chrono::milliseconds cooldown);

    bool enabled() const { return m_threshold > 0; }

    // The stored values, no transition.
    std::optional<CircuitSnapshot> read(StoreError *error) const;
    // At the start of a cycle: whether it may run (not while open; half-open runs the probe).
    std::optional<CircuitUpdate> beforeCycle(const QDateTime &now, StoreError *error) const;
    std::optional<CircuitUpdate> recordFailure(const QDateTime &now, StoreError *error) const;
    std::optional<CircuitUpdate> recordSuccess(StoreError *error) const;

private:
    // Reads the snapshot, lets `step` change it, writes what changed; one transaction.
    template<typename Step>
    std::optional<CircuitUpdate> update(Step step, StoreError *error) const;
    QDateTime openUntil(const QDateTime &now) const;

    const Database &m_database;
    const QString m_channel;
    const int m_threshold;
    const std::chrono::milliseconds m_cooldown;
};

} // namespace Pitwall
