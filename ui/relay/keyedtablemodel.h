#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QString>

namespace Pitwall {

// A table whose rows have a unique key and are updated in place: merge() and put() insert,
// change and remove single rows (dataChanged only over the cells that changed), so views
// keep their selection and scroll position and nothing is ever reset. Subclasses name the
// key and the cells of a row.
template <typename Row>
class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : columns();
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        return cell(m_rows.at(index.row()), index.column(), role);
    }

    const Row &at(int row) const { return m_rows.at(row); }
    // The row with this key, or -1.
    int find(const QString &rowKey) const
    {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (key(m_rows.at(row)) == rowKey)
                return row;
        }
        return -1;
    }

    // Makes the table hold `rows`: rows with a key no longer listed are removed, known ones are
    // updated where they differ, new ones are appended in the order given.
    void merge(const QList<Row> &rows)
    {
        QSet<QString> keys;
        for (const Row &row : rows)
            keys.insert(key(row));
        for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
            if (!keys.contains(key(m_rows.at(row)))) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
            }
        }
        for (const Row &row : rows)
            put(row);
    }

    // Updates the row with the same key, or appends it.
    void put(const Row &row)
    {
        const int existing = find(key(row));
        if (existing < 0) {
            const int last = int(m_rows.size());
            beginInsertRows({}, last, last);
            m_rows.append(row);
            endInsertRows();
            return;
        }
        int first = -1;
        int last = -1;
        for (int column = 0; column < columns(); ++column) {
            for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)}) {
                if (cell(m_rows.at(existing), column, role) != cell(row, column, role)) {
                    first = first < 0 ? column : first;
                    last = column;
                }
            }
        }
        m_rows[existing] = row;
        if (first >= 0)
            emit dataChanged(index(existing, first), index(existing, last));
    }

protected:
    virtual int columns() const = 0;
    virtual QString key(const Row &row) const = 0;
    virtual QVariant cell(const Row &row, int column, int role) const = 0;

private:
    QList<Row> m_rows;
};

} // namespace Pitwall
