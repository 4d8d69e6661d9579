#include "vod/circuitstate.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

QString toText(CircuitState state)
{
    switch (state) {
    case CircuitState::Closed:
        return u"closed"_s;
    case CircuitState::Open:
        return u"open"_s;
    case CircuitState::HalfOpen:
        return u"half-open"_s;
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<CircuitState> circuitStateFromText(QStringView text)
{
    for (const CircuitState state :
         {CircuitState::Closed, CircuitState::Open, CircuitState::HalfOpen}) {
        if (text == toText(state))
            return state;
    }
    return std::nullopt;
}

} // namespace Pitwall
