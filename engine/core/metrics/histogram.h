#pragma once

#include "core/metrics/labelledfamily.h"

#include <QList>

#include <atomic>
#include <memory>

namespace Pitwall {

// Observations counted into fixed buckets; observe() is a few lock-free atomic adds.
class Histogram final
{
public:
    static constexpr MetricType metricType = MetricType::Histogram;
    // Finite, strictly increasing upper bounds; the +Inf bucket is always added.
    using Options = QList<double>;

    explicit Histogram(const Options &upperBounds);
    Q_DISABLE_COPY_MOVE(Histogram)

    void observe(double value);
    quint64 count() const;
    double sum() const;

    void writeSamples(ExpositionWriter &out, const QString &name, const QStringList &labelNames,
                      const QStringList &labelValues) const;

private:
    const QList<double> m_upperBounds;
    // Per bucket, not cumulative; the last one is the +Inf bucket. _count is their total, so the
    // rendered +Inf bucket always equals _count even while observations race with a scrape.
    const std::unique_ptr<std::atomic<quint64>[]> m_bucketCounts;
    std::atomic<double> m_sum{0.0};
};

using HistogramFamily = LabelledFamily<Histogram>;

} // namespace Pitwall
