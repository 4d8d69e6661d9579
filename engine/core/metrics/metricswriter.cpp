#include "core/metrics/metricswriter.h"

#include "core/metrics/metricsregistry.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

std::pair<QStringList, QStringList> splitLabels(const MetricLabels &labels)
{
    std::pair<QStringList, QStringList> namesAndValues;
    for (const auto &[name, value] : labels) {
        namesAndValues.first.append(name);
        namesAndValues.second.append(value);
    }
    return namesAndValues;
}

template <typename Family>
auto &freshChild(Family &family, const QStringList &values)
{
    if (family.contains(values))
        metricsProgrammingError(u"a collector wrote %1{%2} twice"_s.arg(family.name(),
                                                                         values.join(u", "_s)));
    return family.labels(values);
}

} // namespace

MetricsWriter::MetricsWriter()
    : m_families(std::make_unique<MetricsRegistry>())
{
}

MetricsWriter::~MetricsWriter() = default;

void MetricsWriter::counter(const QString &name, const QString &help, const MetricLabels &labels,
                            double value)
{
    const auto [names, values] = splitLabels(labels);
    freshChild(m_families->counter(name, help, names), values).inc(value);
}

void MetricsWriter::gauge(const QString &name, const QString &help, const MetricLabels &labels,
                          double value)
{
    const auto [names, values] = splitLabels(labels);
    freshChild(m_families->gauge(name, help, names), values).set(value);
}

} // namespace Pitwall
