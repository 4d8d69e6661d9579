#pragma once

#include "core/log/loglevel.h"

#include <QSortFilterProxyModel>

namespace Pitwall {

// What the logs panel shows of a LogModel: entries at or above a level, of one component (or
// all), whose message or component contains the search text (case-insensitive).
class LogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFilterModel)

public:
    explicit LogFilterModel(QObject *parent = nullptr);

    void setMinimumLevel(LogLevel level);
    // Empty: every component.
    void setComponent(const QString &component);
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogLevel m_minimumLevel = LogLevel::Trace;
    QString m_component;
    QString m_search;
};

} // namespace Pitwall
