#pragma once

#include "common/keyedtablemodel.h"
#include "relay/tokenstore.h"

namespace Pitwall {

// The device tokens panel's table: every token, revoked ones included. Raw tokens are never
// here: the database only has their hashes.
class TokenTableModel final : public KeyedTableModel<TokenInfo>
{
    Q_OBJECT

public:
    enum Column { DeviceType, DeviceId, Created, Status, TokenId, ColumnCount };

    using KeyedTableModel<TokenInfo>::KeyedTableModel;

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString deviceTypeText(Pitwall::DeviceType type);

protected:
    int columns() const override { return ColumnCount; }
    QString key(const TokenInfo &row) const override { return row.tokenId; }
    QVariant cell(const TokenInfo &row, int column, int role) const override;
};

} // namespace Pitwall
