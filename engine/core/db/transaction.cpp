#include "core/db/transaction.h"

#include "core/db/dialect.h"
#include "core/log/logcategories.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

Transaction::Transaction(QSqlDatabase db) : m_db(std::move(db))
{
    m_active = run(Dialect::of(m_db).beginStatement());
}

Transaction::~Transaction()
{
    if (m_active && !rollback())
        qCWarning(lcDb) << "rollback failed:" << m_error;
}

bool Transaction::commit()
{
    if (!m_active) {
        m_error = u"no active transaction to commit"_s;
        return false;
    }
    m_active = false;
    if (run(u"COMMIT"_s))
        return true;
    // PostgreSQL ends the transaction when COMMIT fails; SQLite keeps it open (SQLITE_BUSY),
    // which would leave this thread's connection stuck inside it.
    if (!Dialect::of(m_db).isPostgres())
        QSqlQuery(m_db).exec(u"ROLLBACK"_s);
    return false;
}

bool Transaction::rollback()
{
    if (!m_active) {
        m_error = u"no active transaction to roll back"_s;
        return false;
    }
    m_active = false;
    return run(u"ROLLBACK"_s);
}

bool Transaction::run(const QString &statement)
{
    if (!m_db.isOpen()) {
        m_error = u"%1 failed: the connection is not open"_s.arg(statement);
        return false;
    }
    QSqlQuery query(m_db);
    if (query.exec(statement))
        return true;
    m_error = Dialect::errorText(query.lastError());
    m_lockTimedOut = Dialect::of(m_db).isLockTimeout(query.lastError());
    return false;
}

} // namespace Pitwall
