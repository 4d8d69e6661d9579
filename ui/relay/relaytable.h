#pragma once

#include <QString>

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace Pitwall {

// A read-only table of whole rows, one selected at a time, as every relay panel shows.
QTableView *createRelayTable(QAbstractItemModel *model, const QString &objectName,
                             QWidget *parent);

} // namespace Pitwall
