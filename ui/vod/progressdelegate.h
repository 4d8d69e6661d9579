#pragma once

#include <QStyledItemDelegate>

namespace Pitwall {

// Paints a cell as a progress bar: the percent from `percentRole`, the text from DisplayRole.
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ProgressDelegate(int percentRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    const int m_percentRole;
};

} // namespace Pitwall
