#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QTimer>

#include <chrono>
#include <utility>

namespace Pitwall {

// A table whose rows have a unique key and are updated in place: merge() and put() insert,
// change and remove single rows (dataChanged only over the cells that changed), so views
// keep their selection and scroll position and nothing is ever reset. A hash of the keys makes
// finding a row O(1).
//
// Engine events go through stage() instead: the newest state of each row waits in a pending
// map and one timer (StageInterval) puts them all, so however fast events come, the views see
// at most one change per row and interval. current() reads through the pending map.
// Subclasses name the key and the cells of a row.
template <typename Row>
class KeyedTableModel : public QAbstractTableModel
{
public:
    static constexpr std::chrono::milliseconds StageInterval{100};

    explicit KeyedTableModel(QObject *parent = nullptr) : QAbstractTableModel(parent)
    {
        m_flushTimer.setSingleShot(true);
        m_flushTimer.setInterval(StageInterval);
        QObject::connect(&m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
    }

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
    int find(const QString &rowKey) const { return m_index.value(rowKey, -1); }

    // The newest state of the row with this key: staged or shown; nullptr when unknown.
    const Row *current(const QString &rowKey) const
    {
        if (const auto staged = m_pending.constFind(rowKey); staged != m_pending.cend())
            return &staged.value();
        const int row = find(rowKey);
        return row < 0 ? nullptr : &m_rows.at(row);
    }

    // Makes the table hold `rows`: rows with a key no longer listed are removed, known ones are
    // updated where they differ, new ones are appended in the order given. Staged rows are put
    // first, as if they had been applied when they came.
    void merge(const QList<Row> &rows)
    {
        flush();
        QSet<QString> keys;
        for (const Row &row : rows)
            keys.insert(key(row));
        bool removed = false;
        for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
            if (!keys.contains(key(m_rows.at(row)))) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
                removed = true;
            }
        }
        if (removed)
            reindex();
        for (const Row &row : rows)
            put(row);
    }

    // Updates the row with the same key, or appends it.
    void put(const Row &row)
    {
        const QString rowKey = key(row);
        const int existing = find(rowKey);
        if (existing < 0) {
            const int last = int(m_rows.size());
            beginInsertRows({}, last, last);
            m_rows.append(row);
            m_index.insert(rowKey, last);
            endInsertRows();
            return;
        }
        int first = -1;
        int last = -1;
        for (int column = 0; column < columns(); ++column) {
            for (const int role : comparedRoles()) {
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

    // Keeps `row` as its key's newest state until the next flush.
    void stage(const Row &row)
    {
        const QString rowKey = key(row);
        if (!m_pending.contains(rowKey))
            m_pendingOrder.append(rowKey);
        m_pending.insert(rowKey, row);
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
    }

    // Puts the staged rows now, in the order their keys were first staged.
    void flush()
    {
        m_flushTimer.stop();
        const QList<QString> order = std::exchange(m_pendingOrder, {});
        const QHash<QString, Row> pending = std::exchange(m_pending, {});
        for (const QString &rowKey : order)
            put(pending.value(rowKey));
    }

protected:
    virtual int columns() const = 0;
    virtual QString key(const Row &row) const = 0;
    virtual QVariant cell(const Row &row, int column, int role) const = 0;
    // The roles whose change makes put() report a cell as changed.
    virtual QList<int> comparedRoles() const { return {Qt::DisplayRole, Qt::ToolTipRole}; }

private:
    void reindex()
    {
        m_index.clear();
        for (int row = 0; row < m_rows.size(); ++row)
            m_index.insert(key(m_rows.at(row)), row);
    }

    QList<Row> m_rows;
    QHash<QString, int> m_index; // key -> row
    QHash<QString, Row> m_pending;
    QList<QString> m_pendingOrder;
    QTimer m_flushTimer;
};

} // namespace Pitwall
