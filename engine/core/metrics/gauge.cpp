#include "core/metrics/gauge.h"

#include "core/metrics/expositionwriter.h"

namespace Pitwall {

Gauge::Gauge(const Options &)
{
}

void Gauge::set(double value)
{
    m_value.store(value, std::memory_order_relaxed);
}

void Gauge::inc(double amount)
{
    m_value.fetch_add(amount, std::memory_order_relaxed);
}

void Gauge::dec(double amount)
{
    m_value.fetch_sub(amount, std::memory_order_relaxed);
}

double Gauge::value() const
{
    return m_value.load(std::memory_order_relaxed);
}

void Gauge::writeSamples(ExpositionWriter &out, const QString &name, const QStringList &labelNames,
                         const QStringList &labelValues) const
{
    out.writeSample(name, labelNames, labelValues, value());
}

} // namespace Pitwall
