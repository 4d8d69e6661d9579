#include "core/db/migrationrunner.h"

#include "core/db/dialect.h"
#include "core/db/sqlscript.h"
#include "core/db/transaction.h"
#include "core/log/logcategories.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

// The migrations are compiled into the static engine library. Nothing else references that
// object file, so the linker would drop it (and the files) without this call.
static void initMigrationResources()
{
    Q_INIT_RESOURCE(migrations);
}

namespace Pitwall {

namespace {

// Key of the session-level advisory lock serialising migrations on one PostgreSQL server
// ("pitwall" in ASCII).
constexpr qint64 migrationLockKey = 0x70697477616c6c;

std::nullopt_t fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

// Runs `sql` with `values` bound. Statements without values run unprepared: PostgreSQL cannot
// PREPARE DDL.
bool exec(QSqlQuery &query, const QString &sql, const QString &context, QString *error,
          const QVariantList &values = {})
{
    bool ok = false;
    if (values.isEmpty()) {
        ok = query.exec(sql);
    } else if (query.prepare(sql)) {
        for (const QVariant &value : values)
            query.addBindValue(value);
        ok = query.exec();
    }
    if (ok)
        return true;
    fail(error, u"%1: %2"_s.arg(context, Dialect::errorText(query.lastError())));
    return false;
}

} // namespace

MigrationRunner::MigrationRunner(const QString &directory) : m_directory(directory)
{
    static const bool resourcesRegistered = (initMigrationResources(), true);
    Q_UNUSED(resourcesRegistered);
}

std::optional<QList<int>> MigrationRunner::run(QSqlDatabase db, QString *error) const
{
    const Dialect dialect = Dialect::of(db);
    const QString directory =
            m_directory.isEmpty() ? u":/migrations/"_s + dialect.name() : m_directory;
    const auto migrations = scan(directory, error);
    if (!migrations)
        return std::nullopt;
    if (!dialect.isPostgres())
        return migrate(db, *migrations, error);

    QSqlQuery lock(db);
    if (!exec(lock, u"SELECT pg_advisory_lock(%1)"_s.arg(migrationLockKey),
              u"cannot take the migration lock"_s, error)) {
        return std::nullopt;
    }
    const auto applied = migrate(db, *migrations, error);
    QString unlockError;
    if (!exec(lock, u"SELECT pg_advisory_unlock(%1)"_s.arg(migrationLockKey),
              u"cannot release the migration lock"_s, &unlockError)) {
        qCWarning(lcDb).noquote() << unlockError;
    }
    return applied;
}

auto MigrationRunner::scan(const QString &directory, QString *error) const
        -> std::optional<QList<Migration>>
{
    static const QRegularExpression pattern(u"^(\\d{4})_([a-z0-9_]+)\\.sql$"_s);
    const QDir dir(directory);
    if (!dir.exists())
        return fail(error, u"migration directory '%1' does not exist"_s.arg(directory));
    QList<Migration> migrations;
    const QStringList files = dir.entryList(QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &fileName : files) {
        const auto match = pattern.match(fileName);
        if (!match.hasMatch()) {
            return fail(error, u"migration file name '%1' in %2 does not match NNNN_name.sql"_s
                                       .arg(fileName, directory));
        }
        const int version = match.captured(1).toInt();
        if (!migrations.isEmpty() && migrations.last().version == version) {
            return fail(error, u"migrations %1 and %2 have the same version %3"_s.arg(
                                       migrations.last().fileName, fileName, match.captured(1)));
        }
        migrations.append({version, match.captured(2), fileName, dir.filePath(fileName)});
    }
    return migrations;
}

std::optional<QList<int>> MigrationRunner::migrate(QSqlDatabase &db,
                                                   const QList<Migration> &migrations,
                                                   QString *error) const
{
    QList<int> recorded;
    {
        QSqlQuery query(db);
        if (!exec(query,
                  u"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                  "name TEXT NOT NULL, applied_at %1 NOT NULL)"_s.arg(
                          Dialect::of(db).timestampType()),
                  u"cannot create schema_migrations"_s, error)
            || !exec(query, u"SELECT version FROM schema_migrations ORDER BY version"_s,
                     u"cannot read schema_migrations"_s, error)) {
            return std::nullopt;
        }
        while (query.next())
            recorded.append(query.value(0).toInt());
    }

    const int newestKnown = migrations.isEmpty() ? 0 : migrations.last().version;
    if (!recorded.isEmpty() && recorded.last() > newestKnown) {
        return fail(error, u"database schema version %1 is newer than this build (max %2)"_s
                                   .arg(recorded.last())
                                   .arg(newestKnown));
    }
    for (const int version : std::as_const(recorded)) {
        const bool known = std::any_of(migrations.cbegin(), migrations.cend(),
                                       [&](const Migration &m) { return m.version == version; });
        if (!known) {
            return fail(error, u"database has migration version %1, which this build does not "
                               "know"_s.arg(version));
        }
    }

    QList<int> appliedNow;
    for (const Migration &migration : migrations) {
        if (recorded.contains(migration.version))
            continue;
        bool applied = false;
        if (!apply(db, migration, &applied, error))
            return std::nullopt;
        if (applied)
            appliedNow.append(migration.version);
    }
    return appliedNow;
}

bool MigrationRunner::apply(QSqlDatabase &db, const Migration &migration, bool *applied,
                            QString *error) const
{
    *applied = false;
    QFile file(migration.path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, u"cannot read migration %1: %2"_s.arg(migration.fileName, file.errorString()));
        return false;
    }
    QString splitError;
    const auto statements = SqlScript::split(QString::fromUtf8(file.readAll()), &splitError);
    if (!statements) {
        fail(error, u"migration %1: %2"_s.arg(migration.fileName, splitError));
        return false;
    }

    Transaction transaction(db);
    if (!transaction.isActive()) {
        fail(error, u"migration %1: cannot begin a transaction: %2"_s.arg(migration.fileName,
                                                                           transaction.error()));
        return false;
    }
    // Each prepared statement is released (DEALLOCATE on PostgreSQL) at the end of its scope,
    // while the transaction can still run it, not after a failing statement has aborted it.
    {
        QSqlQuery check(db);
        // Without an advisory lock (SQLite) another runner may have applied it since we looked.
        if (!exec(check, u"SELECT 1 FROM schema_migrations WHERE version = ?"_s,
                  u"migration %1"_s.arg(migration.fileName), error, {migration.version})) {
            return false;
        }
        if (check.next())
            return true;
    }
    {
        QSqlQuery query(db);
        for (const SqlStatement &statement : *statements) {
            if (!exec(query, statement.sql,
                      u"migration %1 failed at line %2"_s.arg(migration.fileName)
                              .arg(statement.line),
                      error)) {
                return false;
            }
        }
    }
    {
        QSqlQuery record(db);
        if (!exec(record,
                  u"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, %1)"_s
                          .arg(Dialect::of(db).nowExpression()),
                  u"migration %1: cannot record it"_s.arg(migration.fileName), error,
                  {migration.version, migration.name})) {
            return false;
        }
    }
    if (!transaction.commit()) {
        fail(error, u"migration %1: commit failed: %2"_s.arg(migration.fileName,
                                                              transaction.error()));
        return false;
    }
    *applied = true;
    qCInfo(lcDb).noquote() << "applied migration" << migration.fileName;
    return true;
}

} // namespace Pitwall
