#include "core/db/database.h"

#include "core/log/logcategories.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QThread>

#include <libpq-fe.h>

#include <atomic>
#include <map>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

std::atomic<int> nextSerial{1};

// The connections the current thread opened. They are removed when its QThread emits finished
// (inside the thread, before wait() returns, so nothing races with the process shutting down)
// or, for threads without that signal, when the thread's storage is destroyed.
class ThreadConnections final
{
public:
    static ThreadConnections &current()
    {
        thread_local ThreadConnections connections;
        return connections;
    }

    ~ThreadConnections() { removeAll(); }

    void add(const QString &name)
    {
        m_names.append(name);
        if (!m_finishedHook) {
            QThread *thread = QThread::currentThread();
            m_finishedHook = QObject::connect(
                    thread, &QThread::finished, thread, [] { current().removeAll(); },
                    Qt::DirectConnection);
        }
    }

    void remove(const QString &name)
    {
        m_prepared.erase(name);
        if (m_names.removeAll(name) > 0)
            QSqlDatabase::removeDatabase(name);
    }

    // Kept statements of a connection; they must go before it closes or is removed.
    std::map<QString, QSqlQuery> &prepared(const QString &name) { return m_prepared[name]; }
    void dropPrepared(const QString &name) { m_prepared.erase(name); }

private:
    ThreadConnections() = default;

    void removeAll()
    {
        QObject::disconnect(m_finishedHook);
        m_finishedHook = {};
        m_prepared.clear();
        for (const QString &name : std::as_const(m_names))
            QSqlDatabase::removeDatabase(name);
        m_names.clear();
    }

    QStringList m_names;
    std::map<QString, std::map<QString, QSqlQuery>> m_prepared; // connection -> SQL -> query
    QMetaObject::Connection m_finishedHook;
};

PGconn *postgresHandle(const QSqlDatabase &db)
{
    // Qt 6 names the metatype after the struct behind the PGconn typedef.
    const QVariant handle = db.driver()->handle();
    const char *type = handle.typeName();
    if (!type || (qstrcmp(type, "pg_conn*") != 0 && qstrcmp(type, "PGconn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

// Server notices ("relation ... already exists, skipping") go to our log instead of libpq's
// default of raw lines on stderr, which would break the JSON log format.
void logNotice(void *, const char *message)
{
    qCDebug(lcDb).noquote() << "server notice:" << QString::fromUtf8(message).trimmed();
}

// A value in libpq's key='value' syntax.
QString libpqQuoted(QString value)
{
    value.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
    return u'\'' + value + u'\'';
}

bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    QSqlQuery query(db);
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            if (error)
                *error = u"%1: %2"_s.arg(statement, Dialect::errorText(query.lastError()));
            return false;
        }
    }
    return true;
}

// Switching to WAL needs the file to itself, and SQLite answers SQLITE_BUSY at once instead of
// waiting in the busy handler: threads opening a new file together must take turns.
bool enableWal(QSqlDatabase &db, std::chrono::milliseconds timeout, QString *error)
{
    constexpr int sqliteBusy = 5;
    const QDeadlineTimer deadline(timeout);
    QSqlQuery query(db);
    while (!query.exec(u"PRAGMA journal_mode=WAL"_s)) {
        if ((query.lastError().nativeErrorCode().toInt() & 0xff) != sqliteBusy
            || deadline.hasExpired()) {
            *error = u"PRAGMA journal_mode=WAL: "_s + Dialect::errorText(query.lastError());
            return false;
        }
        QThread::msleep(5);
    }
    return true;
}

} // namespace

Database::Database(DatabaseSettings settings, const QString &role)
    : m_settings(std::move(settings)),
      m_dialect(m_settings.dialect()),
      m_namePrefix(u"%1-%2-"_s.arg(role).arg(nextSerial.fetch_add(1)))
{
}

Database::~Database()
{
    ThreadConnections::current().remove(connectionName());
}

QString Database::connectionName() const
{
    return m_namePrefix + u"0x"_s
            + QString::number(reinterpret_cast<quintptr>(QThread::currentThreadId()), 16);
}

QSqlDatabase Database::connection(QString *error) const
{
    const QString name = connectionName();
    if (!QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(m_dialect.driverName(), name);
        configure(db);
        ThreadConnections::current().add(name);
    }
    // QPSQL's isOpen() is false once libpq has seen the server go away, so a dropped
    // connection is replaced here too.
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (!db.isOpen()) {
        // Statements prepared in the lost session do not exist in the next one.
        ThreadConnections::current().dropPrepared(name);
        open(db, error);
    }
    return db;
}

QSqlQuery *Database::kept(const QSqlDatabase &db, const QString &sql, QString *error) const
{
    std::map<QString, QSqlQuery> &kept = ThreadConnections::current().prepared(db.connectionName());
    if (const auto it = kept.find(sql); it != kept.end())
        return &it->second;
    QSqlQuery query(db);
    if (!query.prepare(sql)) {
        if (error)
            *error = Dialect::errorText(query.lastError());
        return nullptr;
    }
    return &kept.emplace(sql, std::move(query)).first->second;
}

void Database::configure(QSqlDatabase &db) const
{
    if (!m_dialect.isPostgres()) {
        db.setDatabaseName(m_settings.sqlitePath());
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(m_settings.busyTimeout().count()));
        return;
    }
    db.setHostName(m_settings.host());
    db.setPort(m_settings.port());
    db.setDatabaseName(m_settings.databaseName());
    db.setUserName(m_settings.user());
    db.setPassword(m_settings.password());
    auto options = m_settings.connectOptions();
    // A server that does not answer must not hold a thread for libpq's default of forever.
    if (!m_settings.connectOption(u"connect_timeout"_s))
        options.append({u"connect_timeout"_s, u"5"_s});
    if (!m_settings.connectOption(u"application_name"_s))
        options.append({u"application_name"_s, u"pitwall"_s});
    QStringList parts;
    for (const auto &[keyword, value] : options)
        parts << keyword + u'=' + libpqQuoted(value);
    db.setConnectOptions(parts.join(u';'));
}

bool Database::open(QSqlDatabase &db, QString *error) const
{
    if (!m_dialect.isPostgres()) {
        const QString path = m_settings.sqlitePath();
        const QString dir = QFileInfo(path).absolutePath();
        // 1000 pages is SQLite's default.
        const QString autoCheckpoint = u"PRAGMA wal_autocheckpoint=%1"_s.arg(
                m_settings.walAutoCheckpoint() ? 1000 : 0);
        QString reason;
        if (!QDir().mkpath(dir))
            reason = u"directory '%1' cannot be created"_s.arg(dir);
        else if (!db.open())
            reason = Dialect::errorText(db.lastError());
        // WAL lets readers run beside the one writer; NORMAL is durable enough in WAL mode.
        else if (!enableWal(db, m_settings.busyTimeout(), &reason)
                 || !execAll(db, {u"PRAGMA foreign_keys=ON"_s, u"PRAGMA synchronous=NORMAL"_s,
                                  autoCheckpoint}, &reason))
            db.close();
        if (reason.isEmpty())
            return true;
        if (error)
            *error = u"cannot open SQLite database '%1': %2"_s.arg(path, reason);
        return false;
    }
    if (!db.open()) {
        if (error)
            *error = Dialect::errorText(db.lastError());
        return false;
    }
    if (PGconn *connection = postgresHandle(db))
        PQsetNoticeProcessor(connection, logNotice, nullptr);
    return true;
}

bool Database::ping(QString *error) const
{
    {
        QSqlDatabase db = connection(error);
        if (!db.isOpen())
            return false;
        QSqlQuery query(db);
        if (query.exec(u"SELECT 1"_s) && query.next())
            return true;
        if (error)
            *error = Dialect::errorText(query.lastError());
    }
    closeConnection();
    return false;
}

void Database::closeConnection() const
{
    const QString name = connectionName();
    ThreadConnections::current().dropPrepared(name);
    if (QSqlDatabase::contains(name))
        QSqlDatabase::database(name, false).close();
}

} // namespace Pitwall
