#pragma once

#include "keyedtablemodel.h"
#include "relay/receivercursor.h"

namespace Pitwall {

// The receivers and cursors panel's table: how far each receiver has acknowledged each epoch
// of each stream, ordered by receiver, stream and epoch.
class CursorTableModel final : public KeyedTableModel<ReceiverCursor>
{
    Q_OBJECT

public:
    enum Column { Receiver, Stream, Epoch, LastSeq, Updated, ColumnCount };

    using KeyedTableModel<ReceiverCursor>::KeyedTableModel;

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    int columns() const override { return ColumnCount; }
    QString key(const ReceiverCursor &row) const override;
    QVariant cell(const ReceiverCursor &row, int column, int role) const override;
};

} // namespace Pitwall
