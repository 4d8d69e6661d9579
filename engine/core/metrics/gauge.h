#pragma once

#include "core/metrics/labelledfamily.h"

#include <atomic>

namespace Pitwall {

// A value that goes up and down; updates are lock-free atomics.
class Gauge final
{
public:
    static constexpr MetricType metricType = MetricType::Gauge;
    using Options = NoOptions;

    explicit Gauge(const Options & = {});
    Q_DISABLE_COPY_MOVE(Gauge)

    void set(double value);
    void inc(double amount = 1.0);
    void dec(double amount = 1.0);
    double value() const;

    void writeSamples(ExpositionWriter &out, const QString &name, const QStringList &labelNames,
                      const QStringList &labelValues) const;

private:
    std::atomic<double> m_value{0.0};
};

using GaugeFamily = LabelledFamily<Gauge>;

} // namespace Pitwall
