#include "core/db/kvstore.h"

#include "core/db/dialect.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

bool run(QSqlQuery &query, const QString &sql, const QVariantList &values, QString *error)
{
    bool ok = query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    ok = ok && query.exec();
    if (!ok && error)
        *error = Dialect::errorText(query.lastError());
    return ok;
}

} // namespace

KvStore::KvStore(QSqlDatabase db) : m_db(std::move(db)) { }

std::optional<QString> KvStore::value(const QString &channel, const QString &key,
                                      QString *error) const
{
    QSqlQuery query(m_db);
    if (!run(query, u"SELECT value FROM kv WHERE channel = ? AND key = ?"_s, {channel, key}, error)
        || !query.next()) {
        return std::nullopt;
    }
    return query.value(0).toString();
}

bool KvStore::setValue(const QString &channel, const QString &key, const QString &value,
                       QString *error)
{
    const QString now = Dialect::of(m_db).nowExpression();
    QSqlQuery query(m_db);
    return run(query,
               u"INSERT INTO kv (channel, key, value, updated_at) VALUES (?, ?, ?, %1) "
               "ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, "
               "updated_at = excluded.updated_at"_s.arg(now),
               {channel, key, value}, error);
}

bool KvStore::remove(const QString &channel, const QString &key, QString *error)
{
    QSqlQuery query(m_db);
    return run(query, u"DELETE FROM kv WHERE channel = ? AND key = ?"_s, {channel, key}, error);
}

} // namespace Pitwall
