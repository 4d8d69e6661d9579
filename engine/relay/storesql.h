#pragma once

#include "relay/storeerror.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <functional>
#include <optional>

class QSqlQuery;

namespace Pitwall {

class Database;
class MultiRowInsert;
class Transaction;

// Statement plumbing shared by the relay stores: running bound statements, turning failures
// into a StoreError, and reading nullable columns the same way on both dialects.
class StoreSql final
{
public:
    // The calling thread's connection; not open (and *error Unavailable) when unreachable.
    static QSqlDatabase open(const Database &database, StoreError *error);
    // prepare + bind + exec; on failure *error says why, Unavailable on a connection error.
    static bool run(QSqlQuery &query, const QString &sql, const QVariantList &values,
                    StoreError *error);
    // run() for fixed SQL on hot paths (the ingest), whose text does not grow with the data:
    // on PostgreSQL through the statement Database::kept() holds prepared, else through local.
    // Returns the query that ran, to read its rows; nullptr on failure. Never prepare() it.
    static QSqlQuery *runPrepared(const Database &database, const QSqlDatabase &db,
                                  QSqlQuery &local, const QString &sql,
                                  const QVariantList &values, StoreError *error);
    // A SELECT on the calling thread's connection, forward-only, ready to step through.
    static std::optional<QSqlQuery> select(const Database &database, const QString &sql,
                                           const QVariantList &values, StoreError *error);
    // Runs the insert's statements in one transaction; the number of rows inserted.
    static std::optional<int> insertAll(const Database &database, MultiRowInsert &insert,
                                        StoreError *error);
    // Runs body in one transaction on the calling thread's connection and commits when it
    // returns true. When body returns false it says why in *error: a refusal (no error, Invalid
    // or NotFound) only rolls back, a database failure goes through abort().
    static bool inTransaction(const Database &database, StoreError *error,
                              const std::function<bool(QSqlDatabase &db)> &body);
    // Always false, for `return fail(...)`.
    static bool fail(StoreError *error, StoreError::Kind kind, const QString &message);
    // Ends a failed transaction and classifies the failure: Unavailable when the database no
    // longer answers, else Failed with text (when given) as the message.
    static void abort(const Database &database, Transaction &tx, StoreError *error,
                      const QString &text);

    // Runs attempt() again while it fails with Busy, at most BusyAttempts times in all, pausing
    // 200 ms, then twice as long each time (3 s over all pauses). Each attempt has already waited
    // the database's own lock timeout; this rides out a writer that holds the lock longer, as on a
    // saturated machine, instead of ending a session over it. attempt() must be one whole unit of
    // work that a failure rolled back, and it runs on the calling (storage) thread, which sleeps.
    static constexpr int BusyAttempts = 5;
    template <typename Attempt>
    static auto retryWhileBusy(StoreError *error, const Attempt &attempt)
    {
        for (int round = 1;; ++round) {
            auto result = attempt();
            if (result || error->kind != StoreError::Kind::Busy || round == BusyAttempts)
                return result;
            pauseBeforeRetry(round, *error);
            *error = {};
        }
    }

    // A stream id in canonical form (lowercase, no braces), or Invalid.
    static std::optional<QString> streamId(const QString &text, StoreError *error);

    // What a statement on one stream needs: its canonical id and the calling thread's
    // connection (Invalid / Unavailable otherwise). Keep it in a local scope, like the handle.
    struct StreamScope
    {
        QString id;
        QSqlDatabase db;
    };
    static std::optional<StreamScope> openStream(const Database &database,
                                                 const QString &streamId, StoreError *error);

    static std::optional<qint64> optionalInt(const QVariant &value);
    static std::optional<QString> optionalString(const QVariant &value);
    // TIMESTAMPTZ (PostgreSQL) or ISO 8601 text (SQLite) as UTC; invalid for NULL.
    static QDateTime timestamp(const QVariant &value);
    // A typed NULL for std::nullopt.
    static QVariant nullable(const std::optional<QString> &value);

private:
    static void pauseBeforeRetry(int attempt, const StoreError &error);
    static bool exec(QSqlQuery &query, const QVariantList &values);
    // Always false; *error from the query's last error, Unavailable on a connection error.
    static bool failed(const QSqlQuery &query, StoreError *error);
};

} // namespace Pitwall
