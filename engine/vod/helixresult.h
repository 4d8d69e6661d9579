#pragma once

#include <QString>

#include <optional>

namespace Pitwall {

// What a HelixClient call delivers: the value, or the error that ended the call.
template <typename T>
struct HelixResult
{
    std::optional<T> value;
    QString error; // set exactly when value is empty; never contains a secret

    bool ok() const { return value.has_value(); }
};

} // namespace Pitwall
