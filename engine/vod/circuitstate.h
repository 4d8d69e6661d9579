#pragma once

#include <QDateTime>
#include <QString>
#include <QStringView>

#include <optional>

namespace Pitwall {

// A channel's circuit breaker state as kv keeps it (circuit_state).
enum class CircuitState { Closed, Open, HalfOpen };

// "closed", "open", "half-open" as stored.
QString toText(CircuitState state);
std::optional<CircuitState> circuitStateFromText(QStringView text);

// The breaker's stored values.
struct CircuitSnapshot
{
    CircuitState state = CircuitState::Closed;
    int failures = 0;    // circuit_failures
    QDateTime openUntil; // circuit_open_until; null when absent
};

// A change of state, for circuit_breaker_state_changes_total{from,to}.
struct CircuitTransition
{
    CircuitState from = CircuitState::Closed;
    CircuitState to = CircuitState::Closed;
};

// The breaker after a call: its values, whether work may run, and the change the call made.
struct CircuitUpdate
{
    CircuitSnapshot snapshot;
    bool allowsWork = true; // not open (always true for a disabled breaker)
    std::optional<CircuitTransition> transition;
};

} // namespace Pitwall
