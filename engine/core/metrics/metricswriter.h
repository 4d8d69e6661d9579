#pragma once

#include <QList>
#include <QString>

#include <memory>
#include <utility>

namespace Pitwall {

class MetricsRegistry;

// Label name and value pairs of one computed sample, e.g. {{u"version"_s, version}}.
using MetricLabels = QList<std::pair<QString, QString>>;

// What a collector writes its computed samples into during MetricsRegistry::render(). The same
// naming rules apply as for registered families; writing the same sample twice in one scrape, or a
// name that a registered family already uses, is a programming error.
class MetricsWriter final
{
public:
    MetricsWriter();
    ~MetricsWriter();
    Q_DISABLE_COPY_MOVE(MetricsWriter)

    void counter(const QString &name, const QString &help, const MetricLabels &labels,
                 double value);
    void gauge(const QString &name, const QString &help, const MetricLabels &labels, double value);

private:
    friend class MetricsRegistry;

    // One scrape's worth of families, built with the registry's own validation and rendering.
    const std::unique_ptr<MetricsRegistry> m_families;
};

} // namespace Pitwall
