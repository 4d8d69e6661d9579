#include "core/metrics/metricsregistry.h"

#include "core/metrics/expositionwriter.h"
#include "core/metrics/metricnaming.h"
#include "core/metrics/metricswriter.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

MetricsRegistry::MetricsRegistry() = default;

MetricsRegistry::~MetricsRegistry() = default;

CounterFamily &MetricsRegistry::counter(const QString &name, const QString &help,
                                        const QStringList &labelNames)
{
    return family<Counter>(name, help, labelNames, {});
}

GaugeFamily &MetricsRegistry::gauge(const QString &name, const QString &help,
                                    const QStringList &labelNames)
{
    return family<Gauge>(name, help, labelNames, {});
}

HistogramFamily &MetricsRegistry::histogram(const QString &name, const QString &help,
                                            const QList<double> &upperBounds,
                                            const QStringList &labelNames)
{
    QList<double> bounds = upperBounds;
    if (!bounds.isEmpty() && std::isinf(bounds.last()) && bounds.last() > 0)
        bounds.removeLast();
    if (const QString problem = MetricNaming::bucketProblem(bounds); !problem.isEmpty())
        metricsProgrammingError(u"%1: %2"_s.arg(name, problem));
    return family<Histogram>(name, help, labelNames, bounds);
}

MetricsRegistry::CollectorId MetricsRegistry::addCollector(MetricsCollector collector)
{
    QMutexLocker lock(&m_collectorMutex);
    const CollectorId id = m_nextCollectorId++;
    m_collectors.emplace(id, std::move(collector));
    return id;
}

void MetricsRegistry::removeCollector(CollectorId id)
{
    QMutexLocker lock(&m_collectorMutex);
    m_collectors.erase(id);
}

QByteArray MetricsRegistry::render() const
{
    MetricsWriter collected;
    {
        // Held while collectors run, so removeCollector() cannot return while one is in use.
        QMutexLocker lock(&m_collectorMutex);
        for (const auto &[id, collector] : m_collectors)
            collector(collected);
    }
    // Families are never removed, so the pointers stay valid after the index lock is released;
    // each family locks its own children while it writes them.
    std::map<QString, const MetricFamily *> all = familyIndex();
    for (const auto &[name, family] : collected.m_families->familyIndex()) {
        if (!all.emplace(name, family).second)
            metricsProgrammingError(
                u"a collector wrote %1, which is a registered family"_s.arg(name));
    }
    ExpositionWriter out;
    for (const auto &[name, family] : all)
        family->write(out);
    return out.text();
}

MetricFamily *MetricsRegistry::existingFamily(MetricType type, const QString &name,
                                              const QString &help,
                                              const QStringList &labelNames) const
{
    const auto it = m_families.find(name);
    if (it == m_families.end()) {
        if (const QString problem = MetricNaming::definitionProblem(type, name, help, labelNames);
            !problem.isEmpty())
            metricsProgrammingError(problem);
        return nullptr;
    }
    MetricFamily &existing = *it->second;
    if (existing.type() != type || existing.labelNames() != labelNames || existing.help() != help)
        metricsProgrammingError(
            u"%1 is already registered as a %2 with labels (%3) and help \"%4\"; now asked for a "
            "%5 with labels (%6) and help \"%7\""_s.arg(
                name, MetricFamily::typeName(existing.type()),
                existing.labelNames().join(u", "_s), existing.help(), MetricFamily::typeName(type),
                labelNames.join(u", "_s), help));
    return &existing;
}

std::map<QString, const MetricFamily *> MetricsRegistry::familyIndex() const
{
    QMutexLocker lock(&m_mutex);
    std::map<QString, const MetricFamily *> index;
    for (const auto &[name, family] : m_families)
        index.emplace(name, family.get());
    return index;
}

} // namespace Pitwall
