#pragma once

#include "common/keyedtablemodel.h"
#include "relay/epochinfo.h"

namespace Pitwall {

// The epochs of the stream shown in the stream detail panel, with names and event counts.
class EpochTableModel final : public KeyedTableModel<EpochInfo>
{
    Q_OBJECT

public:
    enum Column { Epoch, Name, Events, FirstEvent, LastEvent, Current, ColumnCount };

    using KeyedTableModel<EpochInfo>::KeyedTableModel;

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    int columns() const override { return ColumnCount; }
    QString key(const EpochInfo &row) const override { return QString::number(row.epoch); }
    QVariant cell(const EpochInfo &row, int column, int role) const override;
};

} // namespace Pitwall
