#include "core/db/dialect.h"

#include <QSqlDatabase>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// SQLite primary result codes that mean the file itself is unusable, not the statement.
constexpr int sqliteIoErr = 10;
constexpr int sqliteCantOpen = 14;
// ... and those that mean another connection holds the lock.
constexpr int sqliteBusy = 5;
constexpr int sqliteLocked = 6;

// The primary result code of a QSQLITE error (the low byte of an extended code), or -1.
int sqlitePrimaryCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? code & 0xff : -1;
}

// PostgreSQL SQLSTATEs for a session the server ended: admin_shutdown, crash_shutdown,
// cannot_connect_now.
bool isServerShutdown(const QString &sqlState)
{
    return sqlState == u"57P01" || sqlState == u"57P02" || sqlState == u"57P03";
}

} // namespace

Dialect Dialect::of(const QSqlDatabase &db)
{
    return Dialect(db.driverName() == u"QPSQL" ? Kind::Postgres : Kind::Sqlite);
}

QString Dialect::name() const
{
    return isPostgres() ? u"postgres"_s : u"sqlite"_s;
}

QString Dialect::driverName() const
{
    return isPostgres() ? u"QPSQL"_s : u"QSQLITE"_s;
}

int Dialect::maxBindParameters() const
{
    return isPostgres() ? 65535 : 32766;
}

QString Dialect::nowExpression() const
{
    return isPostgres() ? u"now()"_s : u"strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"_s;
}

QString Dialect::timestampType() const
{
    return isPostgres() ? u"TIMESTAMPTZ"_s : u"TEXT"_s;
}

QString Dialect::beginStatement() const
{
    return isPostgres() ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s;
}

bool Dialect::isConnectionError(const QSqlError &error) const
{
    if (error.type() == QSqlError::NoError || isLockTimeout(error))
        return false;
    if (error.type() == QSqlError::ConnectionError)
        return true;
    const QString code = error.nativeErrorCode();
    if (isPostgres()) {
        // Every error the server sends carries a SQLSTATE; a libpq message without one was
        // raised on the client because the connection broke ("server closed the connection
        // unexpectedly"). Qt's own errors ("Parameter count mismatch") have no database text.
        if (code.isEmpty())
            return !error.databaseText().isEmpty();
        return code.startsWith(u"08") || isServerShutdown(code);
    }
    const int primary = sqlitePrimaryCode(error);
    return primary == sqliteIoErr || primary == sqliteCantOpen;
}

bool Dialect::isLockTimeout(const QSqlError &error) const
{
    if (error.type() == QSqlError::NoError)
        return false;
    if (isPostgres()) {
        const QString code = error.nativeErrorCode();
        return code == u"55P03" || code == u"40001" || code == u"40P01";
    }
    const int primary = sqlitePrimaryCode(error);
    return primary == sqliteBusy || primary == sqliteLocked;
}

QString Dialect::errorText(const QSqlError &error)
{
    const QString database = error.databaseText().section(u'\n', 0, 0).simplified();
    return database.isEmpty() ? error.driverText().simplified() : database;
}

} // namespace Pitwall
