#include "shell/governedprocessmodel.h"

#include <QLocale>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Pitwall {

GovernedProcessModel::GovernedProcessModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int GovernedProcessModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GovernedProcessModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GovernedProcessModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case SortRole:
        return sortKey(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == CgroupColumn)
            return row.process.cgroupPaths.join(u'\n');
        if (index.column() == CommandColumn)
            return row.process.exePath;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == PidColumn || index.column() == CpuColumn
            || index.column() == MemoryColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant GovernedProcessModel::display(const Row &row, int column) const
{
    const TrackedProcess &process = row.process;
    switch (column) {
    case PidColumn:
        return process.pid;
    case CommandColumn:
        return process.command;
    case JobColumn:
        return process.jobId;
    case CgroupColumn:
        if (!process.attachedAt.isValid())
            return tr("not attached");
        return process.cgroupPaths.value(0);
    case LimitsColumn: {
        if (row.helperSet)
            return row.helperLimits ? tr("%1 (set here)").arg(describeLimits(*row.helperLimits))
                                    : tr("cleared here");
        return describeLimits(process.limitsApplied);
    }
    case CpuColumn:
        return row.usage.cpuPercent ? tr("%1 %").arg(QLocale().toString(*row.usage.cpuPercent, 'f', 1))
                                    : QString();
    case MemoryColumn:
        return row.usage.residentBytes ? QLocale().formattedDataSize(*row.usage.residentBytes)
                                       : QString();
    }
    return {};
}

QVariant GovernedProcessModel::sortKey(const Row &row, int column) const
{
    switch (column) {
    case PidColumn:
        return row.process.pid;
    case CpuColumn:
        return row.usage.cpuPercent.value_or(-1.0);
    case MemoryColumn:
        return row.usage.residentBytes.value_or(-1);
    }
    return display(row, column);
}

QVariant GovernedProcessModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PidColumn:
        return tr("PID");
    case CommandColumn:
        return tr("Command");
    case JobColumn:
        return tr("Job");
    case CgroupColumn:
        return tr("Cgroup");
    case LimitsColumn:
        return tr("Limits applied");
    case CpuColumn:
        return tr("CPU");
    case MemoryColumn:
        return tr("Memory");
    }
    return {};
}

void GovernedProcessModel::update(const QList<TrackedProcess> &processes,
                                  const QHash<ProcessKey, ProcessUsage> &usage)
{
    QHash<ProcessKey, const TrackedProcess *> incoming;
    for (const TrackedProcess &process : processes)
        incoming.insert(process.key(), &process);

    // Backwards, so the rows still to visit keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!incoming.contains(m_rows.at(row).process.key())) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    QSet<ProcessKey> present;
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &existing = m_rows[row];
        const ProcessKey key = existing.process.key();
        present.insert(key);
        const TrackedProcess &process = *incoming.value(key);
        const ProcessUsage measured = usage.value(key);
        if (existing.helperSet && !(process.limitsApplied == existing.process.limitsApplied))
            existing.helperSet = false; // the engine's own, newer word
        if (process == existing.process && measured.cpuPercent == existing.usage.cpuPercent
            && measured.residentBytes == existing.usage.residentBytes)
            continue;
        existing.process = process;
        existing.usage = measured;
        rowChanged(row);
    }
    QList<Row> added;
    for (const TrackedProcess &process : processes) {
        if (!present.contains(process.key()))
            added.append({process, usage.value(process.key()), false, std::nullopt});
    }
    if (added.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
    m_rows.append(added);
    endInsertRows();
}

void GovernedProcessModel::setHelperLimits(const ProcessKey &key,
                                           const std::optional<CgroupLimits> &limits)
{
    const int row = rowOf(key);
    if (row < 0)
        return;
    m_rows[row].helperSet = true;
    m_rows[row].helperLimits = limits;
    rowChanged(row);
}

std::optional<TrackedProcess> GovernedProcessModel::processAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row).process;
}

QString GovernedProcessModel::describeLimits(const CgroupLimits &limits)
{
    QStringList parts;
    if (limits.cpuQuotaPercent)
        parts.append(tr("CPU %1 %").arg(*limits.cpuQuotaPercent));
    if (limits.cpuWeight)
        parts.append(tr("weight %1").arg(*limits.cpuWeight));
    if (limits.memoryLimitMb)
        parts.append(tr("memory %1 MB").arg(*limits.memoryLimitMb));
    if (limits.memoryHighMb)
        parts.append(tr("high %1 MB").arg(*limits.memoryHighMb));
    return parts.isEmpty() ? tr("none") : parts.join(u", "_s);
}

int GovernedProcessModel::rowOf(const ProcessKey &key) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).process.key() == key)
            return row;
    }
    return -1;
}

void GovernedProcessModel::rowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Pitwall
