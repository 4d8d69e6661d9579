#include "tokentablemodel.h"

#include "relayformat.h"

namespace Pitwall {

QVariant TokenTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DeviceType: return tr("Type");
    case DeviceId: return tr("Device");
    case Created: return tr("Created");
    case Status: return tr("Status");
    case TokenId: return tr("Token id");
    default: return {};
    }
}

QString TokenTableModel::deviceTypeText(Pitwall::DeviceType type)
{
    return type == Pitwall::DeviceType::Forwarder ? tr("Forwarder") : tr("Receiver");
}

QVariant TokenTableModel::cell(const TokenInfo &row, int column, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case DeviceType: return deviceTypeText(row.deviceType);
    case DeviceId: return row.deviceId;
    case Created: return RelayFormat::timestamp(row.createdAt);
    case Status: return row.revoked ? tr("Revoked") : tr("Active");
    case TokenId: return row.tokenId;
    default: return {};
    }
}

} // namespace Pitwall
