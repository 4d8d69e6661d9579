#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Pitwall {

// How the relay API spells values on the wire: unset optionals and invalid timestamps are null,
// timestamps are RFC 3339 UTC with milliseconds ("2026-04-07T10:00:00.123Z").
namespace JsonField {

QJsonValue timestamp(const QDateTime &time);
QJsonValue optional(const std::optional<QString> &value);
QJsonValue optional(const std::optional<qint64> &value);
QJsonValue optional(const std::optional<QDateTime> &time);

} // namespace JsonField

} // namespace Pitwall
