#include "relay/storesql.h"

#include "core/db/database.h"
#include "core/db/multirowinsert.h"
#include "core/db/transaction.h"
#include "core/log/logcategories.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Pitwall {

QSqlDatabase StoreSql::open(const Database &database, StoreError *error)
{
    QString text;
    QSqlDatabase db = database.connection(&text);
    if (!db.isOpen())
        fail(error, StoreError::Kind::Unavailable, u"database unavailable: "_s + text);
    return db;
}

bool StoreSql::run(QSqlQuery &query, const QString &sql, const QVariantList &values,
                   StoreError *error)
{
    return (query.prepare(sql) && exec(query, values)) || failed(query, error);
}

QSqlQuery *StoreSql::runPrepared(const Database &database, const QSqlDatabase &db,
                                 QSqlQuery &local, const QString &sql, const QVariantList &values,
                                 StoreError *error)
{
    QSqlQuery *query = database.dialect().isPostgres() ? database.kept(db, sql, nullptr) : nullptr;
    if (!query) // SQLite, or preparing failed: local runs it and classifies the failure
        return run(local, sql, values, error) ? &local : nullptr;
    if (exec(*query, values))
        return query;
    failed(*query, error);
    return nullptr;
}

bool StoreSql::exec(QSqlQuery &query, const QVariantList &values)
{
    // Positions, not addBindValue(): a kept query may come back with its last values bound.
    for (int position = 0; position < values.size(); ++position)
        query.bindValue(position, values.at(position));
    return query.exec();
}

bool StoreSql::failed(const QSqlQuery &query, StoreError *error)
{
    const bool postgres = query.driver() && query.driver()->dbmsType() == QSqlDriver::PostgreSQL;
    const Dialect dialect(postgres ? Dialect::Kind::Postgres : Dialect::Kind::Sqlite);
    const QSqlError sqlError = query.lastError();
    const StoreError::Kind kind = dialect.isLockTimeout(sqlError) ? StoreError::Kind::Busy
            : dialect.isConnectionError(sqlError)                ? StoreError::Kind::Unavailable
                                                                  : StoreError::Kind::Failed;
    return fail(error, kind, Dialect::errorText(sqlError));
}

std::optional<QSqlQuery> StoreSql::select(const Database &database, const QString &sql,
                                          const QVariantList &values, StoreError *error)
{
    QSqlDatabase db = open(database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!run(query, sql, values, error))
        return std::nullopt;
    return query;
}

std::optional<int> StoreSql::insertAll(const Database &database, MultiRowInsert &insert,
                                       StoreError *error)
{
    const bool ok = inTransaction(database, error, [&](QSqlDatabase &db) {
        QString text;
        return insert.exec(db, &text) || fail(error, StoreError::Kind::Failed, text);
    });
    if (!ok)
        return std::nullopt;
    return insert.rowsAffected();
}

bool StoreSql::inTransaction(const Database &database, StoreError *error,
                             const std::function<bool(QSqlDatabase &db)> &body)
{
    QSqlDatabase db = open(database, error);
    if (!db.isOpen())
        return false;
    Transaction tx(db);
    if (tx.isActive() && body(db) && tx.commit())
        return true;
    const bool refused = tx.isActive() && error
            && (error->kind == StoreError::Kind::None || error->kind == StoreError::Kind::Invalid
                || error->kind == StoreError::Kind::NotFound);
    // A refusal only needs the destructor's rollback. Otherwise, still active means body failed
    // and said why; inactive, BEGIN or COMMIT failed.
    if (!refused)
        abort(database, tx, error, tx.isActive() ? QString() : tx.error());
    return false;
}

void StoreSql::pauseBeforeRetry(int attempt, const StoreError &error)
{
    const int pauseMs = 100 << attempt;
    qCWarning(lcDb).noquote() << u"database busy (%1), attempt %2 of %3; trying again in %4 ms"_s
                                         .arg(error.message)
                                         .arg(attempt)
                                         .arg(BusyAttempts)
                                         .arg(pauseMs);
    QThread::msleep(pauseMs);
}

bool StoreSql::fail(StoreError *error, StoreError::Kind kind, const QString &message)
{
    if (error)
        *error = {kind, message};
    return false;
}

void StoreSql::abort(const Database &database, Transaction &tx, StoreError *error,
                     const QString &text)
{
    if (error && !text.isEmpty())
        *error = {tx.lockTimedOut() ? StoreError::Kind::Busy : StoreError::Kind::Failed, text};
    if (tx.isActive())
        tx.rollback();
    // A statement that failed because the server went away looks like any other error from
    // inside the transaction; asking the server afterwards tells the two apart.
    QString pingError;
    if (!database.ping(&pingError) && error)
        *error = {StoreError::Kind::Unavailable, u"database unavailable: "_s + pingError};
}

std::optional<QString> StoreSql::streamId(const QString &text, StoreError *error)
{
    const QUuid uuid = QUuid::fromString(text);
    if (uuid.isNull()) {
        fail(error, StoreError::Kind::Invalid, u"stream id \"%1\" is not a UUID"_s.arg(text));
        return std::nullopt;
    }
    return uuid.toString(QUuid::WithoutBraces);
}

std::optional<qint64> StoreSql::optionalInt(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

std::optional<QString> StoreSql::optionalString(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toString();
}

QDateTime StoreSql::timestamp(const QVariant &value)
{
    if (value.isNull())
        return {};
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC();
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

QVariant StoreSql::nullable(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::QString));
}

std::optional<StoreSql::StreamScope> StoreSql::openStream(const Database &database,
                                                         const QString &streamId,
                                                         StoreError *error)
{
    const std::optional<QString> id = StoreSql::streamId(streamId, error);
    if (!id)
        return std::nullopt;
    QSqlDatabase db = open(database, error);
    if (!db.isOpen())
        return std::nullopt;
    return StreamScope{*id, db};
}

} // namespace Pitwall
