#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Pitwall {

// Applies NNNN_name.sql files in version order and records each in schema_migrations
// (version, name, applied_at), the file and its row in one transaction. Versions already
// recorded are skipped, so running it at every start is safe. On PostgreSQL it holds an
// advisory lock while it works, so daemons starting together on one server take turns.
class MigrationRunner final
{
public:
    // directory: where the files are; empty means the embedded ":/migrations/<dialect>".
    explicit MigrationRunner(const QString &directory = {});

    // The versions applied by this call (empty when the schema was current), or std::nullopt
    // with *error naming the file, line and database error, e.g.
    // `migration 0002_relay.sql failed at line 14: ERROR: relation "x" does not exist`.
    std::optional<QList<int>> run(QSqlDatabase db, QString *error) const;

private:
    struct Migration
    {
        int version;
        QString name;
        QString fileName;
        QString path;
    };

    std::optional<QList<Migration>> scan(const QString &directory, QString *error) const;
    std::optional<QList<int>> migrate(QSqlDatabase &db, const QList<Migration> &migrations,
                                      QString *error) const;
    // Applies one file; *applied is false when another runner recorded it first.
    bool apply(QSqlDatabase &db, const Migration &migration, bool *applied,
               QString *error) const;

    QString m_directory;
};

} // namespace Pitwall
