#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Pitwall {

// Typed access to the kv table (per-channel engine state: circuit breaker, timing averages,
// catalogue cursor, cfg: overrides) on one connection. Short-lived: construct it on the stack
// with the thread's connection, as it keeps a handle of it.
class KvStore final
{
public:
    explicit KvStore(QSqlDatabase db);

    // std::nullopt when the key is absent or the read failed (then *error is set).
    std::optional<QString> value(const QString &channel, const QString &key,
                                 QString *error = nullptr) const;
    // Insert or replace; updated_at is set to now.
    bool setValue(const QString &channel, const QString &key, const QString &value,
                  QString *error = nullptr);
    // True also when the key was absent.
    bool remove(const QString &channel, const QString &key, QString *error = nullptr);

private:
    QSqlDatabase m_db;
};

} // namespace Pitwall
