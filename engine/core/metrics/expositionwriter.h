#pragma once

#include "core/metrics/metricfamily.h"

#include <QByteArray>

namespace Pitwall {

// Builds the Prometheus text exposition format 0.0.4: escaping, value formatting, line endings.
// It does not check names or ordering; MetricsRegistry guarantees those.
class ExpositionWriter final
{
public:
    void writeHeader(const QString &name, const QString &help, MetricType type);
    void writeSample(const QString &name, const QStringList &labelNames,
                     const QStringList &labelValues, double value);
    const QByteArray &text() const { return m_text; }

    // Shortest representation that parses back to the same double; NaN, +Inf and -Inf as
    // Prometheus spells them.
    static QByteArray formatValue(double value);

private:
    QByteArray m_text;
};

} // namespace Pitwall
