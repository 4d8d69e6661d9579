#pragma once

#include <QString>

class QSqlDatabase;
class QSqlError;

namespace Pitwall {

// The few things that differ between SQLite and PostgreSQL at runtime. Everything else is plain
// SQL both accept (ON CONFLICT, RETURNING, CTEs); schema differences live in the per-dialect
// migration files.
class Dialect final
{
public:
    enum class Kind { Sqlite, Postgres };

    constexpr explicit Dialect(Kind kind) : m_kind(kind) { }

    // The dialect of an open connection: QPSQL is PostgreSQL, anything else is treated as SQLite.
    static Dialect of(const QSqlDatabase &db);

    Kind kind() const { return m_kind; }
    bool isPostgres() const { return m_kind == Kind::Postgres; }

    // "sqlite" / "postgres"; also the subfolder of migrations/.
    QString name() const;
    // "QSQLITE" / "QPSQL".
    QString driverName() const;
    // Bind parameters one statement may carry (SQLite >= 3.32: 32766; PostgreSQL protocol: 65535).
    int maxBindParameters() const;
    // Current UTC time as stored in timestamp columns. SQLite keeps ISO 8601 text with
    // milliseconds and 'Z', which sorts chronologically and QDateTime reads with Qt::ISODateWithMs.
    QString nowExpression() const;
    // Column type for timestamps: TEXT (ISO 8601 UTC) / TIMESTAMPTZ.
    QString timestampType() const;
    // BEGIN for a transaction that will write. SQLite takes the write lock up front, so a
    // concurrent writer waits in busy_timeout instead of failing with SQLITE_BUSY on upgrade.
    QString beginStatement() const;

    // True when the database cannot be reached (server down, connection lost, file cannot be
    // opened) rather than the statement being wrong: callers answer 503 and retry later.
    bool isConnectionError(const QSqlError &error) const;
    // True when another session held a lock the statement needed past the wait allowed for it:
    // SQLite's SQLITE_BUSY / SQLITE_LOCKED after busy_timeout, PostgreSQL's lock_not_available,
    // serialization_failure and deadlock_detected. Running the whole transaction again can
    // succeed.
    bool isLockTimeout(const QSqlError &error) const;

    // One line for logs and messages: the database's own text without the driver's decoration,
    // e.g. `ERROR: relation "x" does not exist` or `no such table: x`.
    static QString errorText(const QSqlError &error);

    friend bool operator==(Dialect a, Dialect b) { return a.m_kind == b.m_kind; }

private:
    Kind m_kind;
};

} // namespace Pitwall
