#include "jsoninteger.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

void report(QString *error, QString message, JsonProblem *problem, JsonProblem kind)
{
    if (error)
        *error = std::move(message);
    if (problem)
        *problem = kind;
}

} // namespace

std::optional<qint64> readJsonInteger(const QJsonValue &value, qint64 min, qint64 max,
                                      QLatin1StringView name, QString *error, JsonProblem *problem)
{
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || std::trunc(number) != number) {
        report(error, QString(name) + u" must be an integer"_s, problem, JsonProblem::Malformed);
        return std::nullopt;
    }
    if (number < double(min) || number > double(max)) {
        report(error,
               u"%1 must be between %2 and %3 (got %4)"_s.arg(name).arg(min).arg(max).arg(
                   QString::number(number, 'g', 17)),
               problem, JsonProblem::OutOfRange);
        return std::nullopt;
    }
    return qint64(number);
}

} // namespace Pitwall
