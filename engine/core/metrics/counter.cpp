#include "core/metrics/counter.h"

#include "core/log/logcategories.h"
#include "core/metrics/expositionwriter.h"

namespace Pitwall {

Counter::Counter(const Options &)
{
}

void Counter::inc(double amount)
{
    if (!(amount >= 0.0)) {
        qCWarning(lcMetrics) << "ignoring counter increment by" << amount;
        return;
    }
    m_value.fetch_add(amount, std::memory_order_relaxed);
}

double Counter::value() const
{
    return m_value.load(std::memory_order_relaxed);
}

void Counter::writeSamples(ExpositionWriter &out, const QString &name,
                           const QStringList &labelNames, const QStringList &labelValues) const
{
    out.writeSample(name, labelNames, labelValues, value());
}

} // namespace Pitwall
