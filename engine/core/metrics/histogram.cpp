#include "core/metrics/histogram.h"

#include "core/metrics/expositionwriter.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pitwall {

Histogram::Histogram(const Options &upperBounds)
    : m_upperBounds(upperBounds),
      m_bucketCounts(std::make_unique<std::atomic<quint64>[]>(upperBounds.size() + 1))
{
}

void Histogram::observe(double value)
{
    // Buckets are "less or equal"; NaN compares false with everything and lands in +Inf, as in
    // the reference clients.
    const qsizetype bucket = std::isnan(value)
        ? m_upperBounds.size()
        : std::lower_bound(m_upperBounds.cbegin(), m_upperBounds.cend(), value)
              - m_upperBounds.cbegin();
    m_bucketCounts[bucket].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

quint64 Histogram::count() const
{
    quint64 total = 0;
    for (qsizetype i = 0; i <= m_upperBounds.size(); ++i)
        total += m_bucketCounts[i].load(std::memory_order_relaxed);
    return total;
}

double Histogram::sum() const
{
    return m_sum.load(std::memory_order_relaxed);
}

void Histogram::writeSamples(ExpositionWriter &out, const QString &name,
                             const QStringList &labelNames, const QStringList &labelValues) const
{
    const QString bucketName = name + "_bucket"_L1;
    const QStringList bucketLabels = labelNames + QStringList{u"le"_s};
    quint64 cumulative = 0;
    for (qsizetype i = 0; i <= m_upperBounds.size(); ++i) {
        cumulative += m_bucketCounts[i].load(std::memory_order_relaxed);
        const double bound = i < m_upperBounds.size() ? m_upperBounds.at(i)
                                                      : std::numeric_limits<double>::infinity();
        const QString le = QString::fromLatin1(ExpositionWriter::formatValue(bound));
        out.writeSample(bucketName, bucketLabels, labelValues + QStringList{le},
                        double(cumulative));
    }
    out.writeSample(name + "_sum"_L1, labelNames, labelValues, sum());
    out.writeSample(name + "_count"_L1, labelNames, labelValues, double(cumulative));
}

} // namespace Pitwall
