#pragma once

#include "core/db/databasesettings.h"
#include "core/db/dialect.h"

#include <QSqlDatabase>
#include <QString>

class QSqlQuery;

namespace Pitwall {

// The database of the process, shared by every thread (all methods are const and thread-safe).
// Qt 6.4 connections belong to the thread that created them, so each thread gets its own named
// connection ("<role>-<n>-0x<thread id>"), created and opened in that thread on first use and
// removed when the thread ends (QThread::finished, or thread exit for other threads).
//
// Ask for the connection per operation and keep the handle in a local scope: a QSqlDatabase
// copy still alive when the thread ends makes Qt warn "connection still in use".
class Database final
{
public:
    explicit Database(DatabaseSettings settings, const QString &role = QStringLiteral("pitwall"));
    // Removes the calling thread's connection; other threads drop theirs when they end.
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    const DatabaseSettings &settings() const { return m_settings; }
    const Dialect &dialect() const { return m_dialect; }

    // The calling thread's connection, opened (or reopened after it was closed or, on
    // PostgreSQL, after the server dropped it). When it cannot be opened, isOpen() is false and
    // *error says why (the path or server and the driver's text).
    QSqlDatabase connection(QString *error = nullptr) const;
    // PostgreSQL: sql prepared on db (the calling thread's connection) once and kept until the
    // connection closes, ready to bind and exec; valid in this thread only. QPSQL sends every
    // prepare() as a PREPARE and every dropped query as a DEALLOCATE: two round trips per
    // statement otherwise. For fixed SQL only, as every text is kept. nullptr (and *error) when
    // preparing failed. Not for SQLite: a kept statement left mid-result holds a read snapshot.
    QSqlQuery *kept(const QSqlDatabase &db, const QString &sql, QString *error) const;
    // Name of the calling thread's connection.
    QString connectionName() const;

    // SELECT 1 on the calling thread's connection. On failure the connection is closed, so the
    // next connection() reconnects.
    bool ping(QString *error) const;
    // Closes the calling thread's connection (it stays registered and reopens on next use).
    void closeConnection() const;

private:
    void configure(QSqlDatabase &db) const;
    bool open(QSqlDatabase &db, QString *error) const;

    DatabaseSettings m_settings;
    Dialect m_dialect;
    QString m_namePrefix;
};

} // namespace Pitwall
