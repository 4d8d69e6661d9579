#include "epochtablemodel.h"

#include "relayformat.h"

namespace Pitwall {

QVariant EpochTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Epoch: return tr("Epoch");
    case Name: return tr("Name");
    case Events: return tr("Events");
    case FirstEvent: return tr("First event");
    case LastEvent: return tr("Last event");
    case Current: return tr("Current");
    default: return {};
    }
}

QVariant EpochTableModel::cell(const EpochInfo &row, int column, int role) const
{
    if (role == Qt::TextAlignmentRole && (column == Epoch || column == Events))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Epoch: return QString::number(row.epoch);
    case Name: return row.name.value_or(QString());
    case Events: return RelayFormat::count(row.eventCount);
    case FirstEvent: return RelayFormat::timestamp(row.firstEventAt.value_or(QDateTime()));
    case LastEvent: return RelayFormat::timestamp(row.lastEventAt.value_or(QDateTime()));
    case Current: return row.isCurrent ? tr("Current") : QString();
    default: return {};
    }
}

} // namespace Pitwall
