#pragma once

#include "core/metrics/labelledfamily.h"

#include <atomic>

namespace Pitwall {

// A value that only goes up; updates are a lock-free atomic add.
class Counter final
{
public:
    static constexpr MetricType metricType = MetricType::Counter;
    using Options = NoOptions;

    explicit Counter(const Options & = {});
    Q_DISABLE_COPY_MOVE(Counter)

    // A negative or NaN amount is refused with a warning: it would break rate() on the server.
    void inc(double amount = 1.0);
    double value() const;

    void writeSamples(ExpositionWriter &out, const QString &name, const QStringList &labelNames,
                      const QStringList &labelValues) const;

private:
    std::atomic<double> m_value{0.0};
};

using CounterFamily = LabelledFamily<Counter>;

} // namespace Pitwall
