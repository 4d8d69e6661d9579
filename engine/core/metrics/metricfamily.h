#pragma once

#include <QLatin1String>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace Pitwall {

class ExpositionWriter;

enum class MetricType { Counter, Gauge, Histogram };

// Counter and gauge children need nothing to be constructed; histograms take their bucket bounds.
struct NoOptions
{
    friend bool operator==(const NoOptions &, const NoOptions &) = default;
};

// A misuse of the metrics API is a bug in our code, not bad input: stop loudly at the first run.
[[noreturn]] void metricsProgrammingError(const QString &message);

// One metric name with its HELP, TYPE and fixed label names; subclasses own the samples.
class MetricFamily
{
public:
    virtual ~MetricFamily();
    Q_DISABLE_COPY_MOVE(MetricFamily)

    MetricType type() const { return m_type; }
    const QString &name() const { return m_name; }
    const QString &help() const { return m_help; }
    const QStringList &labelNames() const { return m_labelNames; }

    static QLatin1String typeName(MetricType type);

    // HELP, TYPE, then every sample of the family.
    void write(ExpositionWriter &out) const;

protected:
    MetricFamily(MetricType type, const QString &name, const QString &help,
                 const QStringList &labelNames);

    [[noreturn]] void failLabelCount(const QStringList &values) const;

private:
    virtual void writeSamples(ExpositionWriter &out) const = 0;

    const MetricType m_type;
    const QString m_name;
    const QString m_help;
    const QStringList m_labelNames;
};

} // namespace Pitwall
