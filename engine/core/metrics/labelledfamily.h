#pragma once

#include "core/metrics/metricfamily.h"

#include <QReadWriteLock>

#include <map>
#include <memory>

namespace Pitwall {

// A family whose children (one per combination of label values) are Counter, Gauge or Histogram.
template <typename Child>
class LabelledFamily final : public MetricFamily
{
public:
    using Options = typename Child::Options;

    LabelledFamily(const QString &name, const QString &help, const QStringList &labelNames,
                   Options options);

    // The child for these label values (in label-name order), created on first use. The reference
    // stays valid as long as the family, so hot paths look it up once and keep it.
    Child &labels(const QStringList &values);
    Child &unlabelled() { return labels({}); }
    bool contains(const QStringList &values) const;
    const Options &options() const { return m_options; }

private:
    void writeSamples(ExpositionWriter &out) const override;

    const Options m_options;
    mutable QReadWriteLock m_lock;
    // Ordered by label values, which is the order samples are rendered in.
    std::map<QStringList, std::unique_ptr<Child>> m_children;
};

template <typename Child>
LabelledFamily<Child>::LabelledFamily(const QString &name, const QString &help,
                                      const QStringList &labelNames, Options options)
    : MetricFamily(Child::metricType, name, help, labelNames), m_options(std::move(options))
{
}

template <typename Child>
Child &LabelledFamily<Child>::labels(const QStringList &values)
{
    if (values.size() != labelNames().size())
        failLabelCount(values);
    {
        QReadLocker lock(&m_lock);
        const auto it = m_children.find(values);
        if (it != m_children.end())
            return *it->second;
    }
    QWriteLocker lock(&m_lock);
    std::unique_ptr<Child> &slot = m_children[values];
    if (!slot)
        slot = std::make_unique<Child>(m_options);
    return *slot;
}

template <typename Child>
bool LabelledFamily<Child>::contains(const QStringList &values) const
{
    QReadLocker lock(&m_lock);
    return m_children.find(values) != m_children.end();
}

template <typename Child>
void LabelledFamily<Child>::writeSamples(ExpositionWriter &out) const
{
    QReadLocker lock(&m_lock);
    for (const auto &[values, child] : m_children)
        child->writeSamples(out, name(), labelNames(), values);
}

} // namespace Pitwall
