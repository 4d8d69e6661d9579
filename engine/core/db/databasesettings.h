#pragma once

#include "core/db/dialect.h"

#include <QList>
#include <QString>

#include <chrono>
#include <optional>
#include <utility>

namespace Pitwall {

// Where the database is, parsed from DATABASE_URL / DB_DSN:
//   postgres://user:pass@host:port/db?sslmode=disable&connect_timeout=5  (also postgresql://)
//   host=... port=... dbname=... user=... password=... sslmode=...        (libpq key=value)
//   sqlite:///abs/path.db, sqlite:relative.db (relative to the data dir)
//   empty                                                                 (<dataDir>/pitwall.db)
class DatabaseSettings final
{
public:
    using Option = std::pair<QString, QString>;

    // std::nullopt and *error set when the value is malformed; the message names what is wrong
    // but never repeats the password.
    static std::optional<DatabaseSettings> parse(const QString &value, const QString &dataDir,
                                                 QString *error);

    Dialect dialect() const { return Dialect(m_kind); }
    Dialect::Kind kind() const { return m_kind; }

    // PostgreSQL.
    QString host() const { return m_host; }
    int port() const { return m_port; }
    QString databaseName() const { return m_databaseName; }
    QString user() const { return m_user; }
    QString password() const { return m_password; }
    // libpq keywords besides host/port/dbname/user/password, in the order given.
    QList<Option> connectOptions() const { return m_connectOptions; }
    std::optional<QString> connectOption(const QString &keyword) const;

    // SQLite: absolute path of the database file.
    QString sqlitePath() const { return m_sqlitePath; }
    std::chrono::milliseconds busyTimeout() const { return m_busyTimeout; }
    void setBusyTimeout(std::chrono::milliseconds timeout) { m_busyTimeout = timeout; }
    // SQLite: whether commits run SQLite's own checkpoints (wal_autocheckpoint). A process with a
    // WalCheckpointer turns them off: only one connection can checkpoint at a time, and the
    // committers' checkpoints kept the checkpointer's from ever getting the lock.
    bool walAutoCheckpoint() const { return m_walAutoCheckpoint; }
    void setWalAutoCheckpoint(bool on) { m_walAutoCheckpoint = on; }

    // The settings as a URL with every secret replaced by "***", for logs.
    QString redacted() const;

private:
    struct Parser;

    Dialect::Kind m_kind = Dialect::Kind::Sqlite;
    QString m_host;
    int m_port = 5432;
    QString m_databaseName;
    QString m_user;
    QString m_password;
    QList<Option> m_connectOptions;
    QString m_sqlitePath;
    std::chrono::milliseconds m_busyTimeout{5000};
    bool m_walAutoCheckpoint = true;
};

} // namespace Pitwall
