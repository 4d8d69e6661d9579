#pragma once

#include "core/metrics/metricfamily.h"

#include <QList>
#include <QStringView>

namespace Pitwall {

// The rules a metric definition must follow so that `promtool check metrics` (promlint) has
// nothing to say about it. Pure functions, so tests can cover every rule without dying.
class MetricNaming final
{
public:
    MetricNaming() = delete;

    // `[a-zA-Z_][a-zA-Z0-9_]*`: the Prometheus grammar without colons, which belong to
    // recording rules.
    static bool isValidMetricName(QStringView name);
    // `[a-zA-Z_][a-zA-Z0-9_]*` without the reserved `__` prefix.
    static bool isValidLabelName(QStringView name);
    // Why this definition is refused, or an empty string.
    static QString definitionProblem(MetricType type, const QString &name, const QString &help,
                                     const QStringList &labelNames);
    // Why these histogram upper bounds are refused, or an empty string. A trailing +Inf is not
    // part of the list: that bucket always exists.
    static QString bucketProblem(const QList<double> &upperBounds);
};

} // namespace Pitwall
