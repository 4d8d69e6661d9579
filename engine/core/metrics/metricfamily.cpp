#include "core/metrics/metricfamily.h"

#include "core/metrics/expositionwriter.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

void metricsProgrammingError(const QString &message)
{
    qFatal("metrics: %s", qUtf8Printable(message));
}

MetricFamily::MetricFamily(MetricType type, const QString &name, const QString &help,
                           const QStringList &labelNames)
    : m_type(type), m_name(name), m_help(help), m_labelNames(labelNames)
{
}

MetricFamily::~MetricFamily() = default;

QLatin1String MetricFamily::typeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return "counter"_L1;
    case MetricType::Gauge:
        return "gauge"_L1;
    case MetricType::Histogram:
        return "histogram"_L1;
    }
    Q_UNREACHABLE();
}

void MetricFamily::write(ExpositionWriter &out) const
{
    out.writeHeader(m_name, m_help, m_type);
    writeSamples(out);
}

void MetricFamily::failLabelCount(const QStringList &values) const
{
    metricsProgrammingError(u"%1 has labels (%2) but was given %3 value(s) (%4)"_s.arg(
        m_name, m_labelNames.join(u", "_s), QString::number(values.size()), values.join(u", "_s)));
}

} // namespace Pitwall
