#include "cursortablemodel.h"

#include "relayformat.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Pitwall {

CursorTableModel::CursorTableModel(std::function<QString(const QString &)> streamName,
                                   QObject *parent)
    : KeyedTableModel<ReceiverCursor>(parent), m_streamName(std::move(streamName))
{
}

QVariant CursorTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Receiver: return tr("Receiver");
    case Stream: return tr("Stream");
    case Epoch: return tr("Epoch");
    case LastSeq: return tr("Last sequence");
    case Updated: return tr("Updated");
    default: return {};
    }
}

QString CursorTableModel::key(const ReceiverCursor &row) const
{
    // The stream id and the epoch have fixed forms, so the key is unambiguous whatever the
    // receiver's own id contains.
    return u"%1\n%2\n%3"_s.arg(row.receiverId, row.streamId).arg(row.streamEpoch);
}

QVariant CursorTableModel::cell(const ReceiverCursor &row, int column, int role) const
{
    if (role == Qt::TextAlignmentRole && (column == Epoch || column == LastSeq))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return column == Stream ? QVariant(row.streamId) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Receiver: return row.receiverId;
    case Stream: return m_streamName(row.streamId);
    case Epoch: return QString::number(row.streamEpoch);
    case LastSeq: return QLocale().toString(row.lastSeq);
    case Updated: return RelayFormat::timestamp(row.updatedAt);
    default: return {};
    }
}

} // namespace Pitwall
