#include "core/db/multirowinsert.h"

#include "core/db/dialect.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Below the dialects' hard limits on purpose: Qt rewrites '?' into named placeholders, which
// SQLite resolves by linear search (quadratic in the statement's size), and QPSQL renders every
// value into the EXECUTE text. Statements of a few thousand parameters are the fastest.
constexpr qsizetype parameterBudget = 2000;

} // namespace

MultiRowInsert::MultiRowInsert(const QString &table, const QStringList &columns,
                               const QString &suffix)
    : m_table(table), m_columns(columns), m_suffix(suffix)
{
    if (m_columns.isEmpty())
        m_error = u"insert into %1 names no columns"_s.arg(m_table);
}

bool MultiRowInsert::addRow(const QVariantList &values)
{
    if (values.size() != m_columns.size()) {
        m_error = u"row %1 for %2 has %3 values, expected %4"_s.arg(m_rows.size() + 1)
                          .arg(m_table)
                          .arg(values.size())
                          .arg(m_columns.size());
        return false;
    }
    m_rows.append(values);
    return true;
}

void MultiRowInsert::clear()
{
    m_rows.clear();
    if (!m_columns.isEmpty())
        m_error.clear();
    m_rowsAffected = 0;
}

QString MultiRowInsert::statement(qsizetype rows) const
{
    const QString tuple = u'(' + QStringList(m_columns.size(), u"?"_s).join(u',') + u')';
    QString sql = u"INSERT INTO %1 (%2) VALUES "_s.arg(m_table, m_columns.join(u", "));
    sql.reserve(sql.size() + rows * (tuple.size() + 1) + m_suffix.size() + 1);
    for (qsizetype row = 0; row < rows; ++row) {
        if (row > 0)
            sql += u',';
        sql += tuple;
    }
    if (!m_suffix.isEmpty())
        sql += u' ' + m_suffix;
    return sql;
}

bool MultiRowInsert::exec(QSqlDatabase &db, QString *error)
{
    m_rowsAffected = 0;
    if (!m_error.isEmpty()) {
        if (error)
            *error = m_error;
        return false;
    }
    const qsizetype parameters =
            std::min<qsizetype>(Dialect::of(db).maxBindParameters(), parameterBudget);
    const qsizetype perChunk = std::max<qsizetype>(1, parameters / m_columns.size());
    QSqlQuery query(db);
    qsizetype preparedRows = 0;
    for (qsizetype first = 0; first < m_rows.size(); first += perChunk) {
        const qsizetype rows = std::min(perChunk, m_rows.size() - first);
        // Every chunk but the last has the same shape: prepare once, bind many times.
        if (rows != preparedRows && !query.prepare(statement(rows))) {
            if (error)
                *error = Dialect::errorText(query.lastError());
            return false;
        }
        preparedRows = rows;
        int position = 0;
        for (qsizetype row = first; row < first + rows; ++row) {
            for (const QVariant &value : std::as_const(m_rows[row]))
                query.bindValue(position++, value);
        }
        if (!query.exec()) {
            if (error)
                *error = Dialect::errorText(query.lastError());
            return false;
        }
        m_rowsAffected += query.numRowsAffected();
    }
    return true;
}

} // namespace Pitwall
