#include "core/db/databasesupervisor.h"

#include "core/db/database.h"
#include "core/db/migrationrunner.h"
#include "core/log/logcategories.h"

#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

using State = DatabaseStatus::State;

DatabaseSupervisor::DatabaseSupervisor(const Database &database,
                                       const QString &migrationDirectory, QObject *parent)
    : QObject(parent),
      m_database(database),
      m_migrationDirectory(migrationDirectory),
      m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &DatabaseSupervisor::tick);
    m_status.since = QDateTime::currentDateTimeUtc();
}

DatabaseSupervisor::~DatabaseSupervisor() = default;

DatabaseStatus DatabaseSupervisor::status() const
{
    QMutexLocker locker(&m_mutex);
    return m_status;
}

void DatabaseSupervisor::start()
{
    m_backoff = m_timing.initialBackoff;
    qCInfo(lcDb).noquote() << "connecting to" << m_database.settings().redacted();
    m_timer->start(0);
}

void DatabaseSupervisor::stop()
{
    m_timer->stop();
}

void DatabaseSupervisor::tick()
{
    if (m_status.state != State::Ready) {
        connectAndMigrate();
        return;
    }
    QString error;
    if (m_database.ping(&error)) {
        m_timer->start(m_timing.pingInterval);
        return;
    }
    m_backoff = m_timing.initialBackoff;
    retryLater(error);
}

void DatabaseSupervisor::connectAndMigrate()
{
    QString error;
    if (!m_database.ping(&error)) {
        retryLater(error);
        return;
    }
    setState(State::Migrating, {});
    std::optional<QList<int>> applied;
    {
        const QSqlDatabase db = m_database.connection(&error);
        applied = MigrationRunner(m_migrationDirectory).run(db, &error);
    }
    if (!applied) {
        // A connection lost halfway is not the migration's fault: retry it later.
        QString connectionError;
        if (!m_database.ping(&connectionError)) {
            retryLater(connectionError);
            return;
        }
        setState(State::Failed, error);
        emit migrationFailed(error);
        return;
    }
    m_wasReady = true;
    m_backoff = m_timing.initialBackoff;
    setState(State::Ready, {});
    m_timer->start(m_timing.pingInterval);
}

void DatabaseSupervisor::retryLater(const QString &reason)
{
    setState(m_wasReady ? State::Unavailable : State::Connecting, reason);
    m_timer->start(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_timing.maxBackoff);
}

void DatabaseSupervisor::setState(State state, const QString &reason)
{
    DatabaseStatus snapshot;
    bool newState = false;
    {
        QMutexLocker locker(&m_mutex);
        if (m_status.state == state && m_status.reason == reason)
            return;
        // The first reason of a state counts as entering it: the supervisor starts out in
        // Connecting before it knows why it cannot connect.
        newState = m_status.state != state || m_status.reason.isEmpty();
        if (m_status.state != state)
            m_status.since = QDateTime::currentDateTimeUtc();
        m_status.state = state;
        m_status.ready = state == State::Ready;
        m_status.reason = reason;
        snapshot = m_status;
    }
    emit statusChanged(snapshot);
    // Logged once per state, not per retry; a new reason only updates the status.
    if (!newState)
        return;
    switch (state) {
    case State::Ready:
        qCInfo(lcDb).noquote() << "database ready:" << m_database.settings().redacted();
        break;
    case State::Migrating:
        qCInfo(lcDb) << "applying database migrations";
        break;
    case State::Connecting:
        qCWarning(lcDb).noquote() << "database not reachable, retrying:" << reason;
        break;
    case State::Unavailable:
        qCWarning(lcDb).noquote() << "database connection lost, retrying:" << reason;
        break;
    case State::Failed:
        qCCritical(lcDb).noquote() << reason;
        break;
    }
}

} // namespace Pitwall
