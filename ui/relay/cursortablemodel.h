#pragma once

#include "common/keyedtablemodel.h"
#include "relay/receivercursor.h"

#include <functional>

namespace Pitwall {

// The receivers and cursors panel's table: how far each receiver has acknowledged each epoch
// of each stream, ordered by receiver, stream and epoch. Streams show by name, the id in the
// tooltip.
class CursorTableModel final : public KeyedTableModel<ReceiverCursor>
{
    Q_OBJECT

public:
    enum Column { Receiver, Stream, Epoch, LastSeq, Updated, ColumnCount };

    // `streamName` names a stream by its id (StreamTableModel::nameOf).
    explicit CursorTableModel(std::function<QString(const QString &streamId)> streamName,
                              QObject *parent = nullptr);

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    int columns() const override { return ColumnCount; }
    QString key(const ReceiverCursor &row) const override;
    QVariant cell(const ReceiverCursor &row, int column, int role) const override;

private:
    std::function<QString(const QString &)> m_streamName;
};

} // namespace Pitwall
