#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace Pitwall {

// Why a JSON value was refused: its shape (not a number, not integral, unknown key) or its value.
// The helper answers the two with different exit codes.
enum class JsonProblem { Malformed, OutOfRange };

// JSON carries numbers as doubles: an integer is accepted only when the double holds an integral
// value in [min, max] (both within 2^53, where doubles are exact). `name` is used in the message.
std::optional<qint64> readJsonInteger(const QJsonValue &value, qint64 min, qint64 max,
                                      QLatin1StringView name, QString *error, JsonProblem *problem);

} // namespace Pitwall
