#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

namespace Pitwall {

// Collects rows and inserts them in chunks: INSERT INTO t (c1, c2) VALUES (?, ?), (?, ?), ...
// <suffix>, each chunk within the dialect's bind-parameter limit (and a smaller budget that
// keeps statements fast). The suffix is appended to every chunk, e.g. "ON CONFLICT DO NOTHING".
// exec() runs the chunks on the caller's connection; wrap it in a Transaction when the rows
// must land together.
class MultiRowInsert final
{
public:
    MultiRowInsert(const QString &table, const QStringList &columns, const QString &suffix = {});

    // False (and exec() will refuse) when the row does not have one value per column.
    bool addRow(const QVariantList &values);
    qsizetype rowCount() const { return m_rows.size(); }
    void clear();

    bool exec(QSqlDatabase &db, QString *error);
    // Rows the last exec() inserted, as the database counted them (conflicts skipped).
    int rowsAffected() const { return m_rowsAffected; }

private:
    QString statement(qsizetype rows) const;

    QString m_table;
    QStringList m_columns;
    QString m_suffix;
    QList<QVariantList> m_rows;
    QString m_error;
    int m_rowsAffected = 0;
};

} // namespace Pitwall
