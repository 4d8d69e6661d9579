#pragma once

#include "core/metrics/counter.h"
#include "core/metrics/gauge.h"
#include "core/metrics/histogram.h"

#include <QByteArray>
#include <QMutex>

#include <functional>
#include <map>
#include <memory>

namespace Pitwall {

class MetricsWriter;

// Computes values at scrape time (process stats, queue sizes owned by another thread, ...).
using MetricsCollector = std::function<void(MetricsWriter &)>;

// The metric families of the process, rendered as Prometheus text that `promtool check metrics`
// accepts without a warning. Registration is cheap and idempotent: asking again for a family with
// the same definition returns the existing one, so a restarted engine finds its counters again.
// Any definition promtool would flag (see MetricNaming) or that clashes with an existing family is
// a programming error and stops the process with a message naming the metric.
class MetricsRegistry final
{
public:
    using CollectorId = quint64;

    static constexpr char contentType[] = "text/plain; version=0.0.4; charset=utf-8";

    MetricsRegistry();
    ~MetricsRegistry();
    Q_DISABLE_COPY_MOVE(MetricsRegistry)

    CounterFamily &counter(const QString &name, const QString &help,
                           const QStringList &labelNames = {});
    GaugeFamily &gauge(const QString &name, const QString &help,
                       const QStringList &labelNames = {});
    // A trailing +Inf in upperBounds is accepted and ignored: that bucket always exists.
    HistogramFamily &histogram(const QString &name, const QString &help,
                               const QList<double> &upperBounds,
                               const QStringList &labelNames = {});

    // Collectors run on the scraping thread during render(). removeCollector() waits for a render
    // in progress, so an object may remove its collector in its destructor. A collector must not
    // add or remove collectors itself.
    CollectorId addCollector(MetricsCollector collector);
    void removeCollector(CollectorId id);

    QByteArray render() const;

private:
    template <typename Child>
    LabelledFamily<Child> &family(const QString &name, const QString &help,
                                  const QStringList &labelNames,
                                  const typename Child::Options &options);
    // The family registered under this name if its definition matches, nullptr if there is none.
    // Caller holds m_mutex.
    MetricFamily *existingFamily(MetricType type, const QString &name, const QString &help,
                                 const QStringList &labelNames) const;
    std::map<QString, const MetricFamily *> familyIndex() const;

    mutable QMutex m_mutex;
    std::map<QString, std::unique_ptr<MetricFamily>> m_families;

    // Separate from m_mutex so collectors may register families while they run.
    mutable QMutex m_collectorMutex;
    std::map<CollectorId, MetricsCollector> m_collectors;
    CollectorId m_nextCollectorId = 1;
};

template <typename Child>
LabelledFamily<Child> &MetricsRegistry::family(const QString &name, const QString &help,
                                               const QStringList &labelNames,
                                               const typename Child::Options &options)
{
    QMutexLocker lock(&m_mutex);
    if (MetricFamily *existing = existingFamily(Child::metricType, name, help, labelNames)) {
        // Same type, so the cast is exact.
        auto *family = static_cast<LabelledFamily<Child> *>(existing);
        if (!(family->options() == options))
            metricsProgrammingError(QStringLiteral("%1 is already registered with other buckets")
                                        .arg(name));
        return *family;
    }
    auto created = std::make_unique<LabelledFamily<Child>>(name, help, labelNames, options);
    LabelledFamily<Child> &result = *created;
    m_families.emplace(name, std::move(created));
    return result;
}

} // namespace Pitwall
