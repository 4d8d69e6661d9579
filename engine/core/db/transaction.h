#pragma once

#include <QSqlDatabase>
#include <QString>

namespace Pitwall {

// RAII transaction on one connection: begins in the constructor, rolls back in the destructor
// unless commit() succeeded. Keep it on the stack: it holds a handle of the connection.
//
//     Transaction tx(db);
//     if (!tx.isActive()) return fail(tx.error());
//     ... statements ...
//     if (!tx.commit()) return fail(tx.error());
class Transaction final
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    // Whether BEGIN succeeded and neither commit() nor rollback() has ended it yet.
    bool isActive() const { return m_active; }
    bool commit();
    bool rollback();
    // The database's text of the last failure (BEGIN, COMMIT or ROLLBACK).
    QString error() const { return m_error; }
    // Whether that failure was a lock held elsewhere past the wait (Dialect::isLockTimeout).
    bool lockTimedOut() const { return m_lockTimedOut; }

private:
    bool run(const QString &statement);

    QSqlDatabase m_db;
    bool m_active = false;
    QString m_error;
    bool m_lockTimedOut = false;
};

} // namespace Pitwall
