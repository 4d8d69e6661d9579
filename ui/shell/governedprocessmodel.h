#pragma once

#include "shell/processusage.h"
#include "watch/trackedprocess.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace Pitwall {

// The watch engine's governed processes, one row per process, with CPU and memory. update()
// compares a new snapshot with the rows: gone processes are removed, new ones appended, changed
// rows reported with dataChanged, so selections and sorting survive every refresh.
class GovernedProcessModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GovernedProcessModel)

public:
    enum Column {
        PidColumn,
        CommandColumn,
        JobColumn,
        CgroupColumn,
        LimitsColumn,
        CpuColumn,
        MemoryColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit GovernedProcessModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void update(const QList<TrackedProcess> &processes,
                const QHash<ProcessKey, ProcessUsage> &usage);
    // The limits pitwall-helper read back after an apply through this console (nullopt after a
    // clear), shown for that process until the watch engine reports different limits itself.
    void setHelperLimits(const ProcessKey &key, const std::optional<CgroupLimits> &limits);

    std::optional<TrackedProcess> processAt(int row) const;

    static QString describeLimits(const CgroupLimits &limits);

private:
    struct Row
    {
        TrackedProcess process;
        ProcessUsage usage;
        bool helperSet = false;            // `helperLimits` overrides what the engine reports
        std::optional<CgroupLimits> helperLimits;
    };

    QVariant display(const Row &row, int column) const;
    QVariant sortKey(const Row &row, int column) const;
    int rowOf(const ProcessKey &key) const;
    void rowChanged(int row);

    QList<Row> m_rows;
};

} // namespace Pitwall
