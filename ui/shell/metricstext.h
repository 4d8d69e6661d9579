#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace Pitwall {

// The sum of every sample of one metric family in Prometheus text (MetricsRegistry::render()):
// `name value` and `name{labels} value` lines, all label sets added up. Nothing when the family
// has no sample, e.g. because its engine is not running.
std::optional<double> sumOfSamples(const QByteArray &exposition, QByteArrayView name);

} // namespace Pitwall
