#include "shell/logfiltermodel.h"

#include "shell/logmodel.h"

namespace Pitwall {

LogFilterModel::LogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void LogFilterModel::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateFilter();
}

void LogFilterModel::setComponent(const QString &component)
{
    if (component == m_component)
        return;
    m_component = component;
    invalidateFilter();
}

void LogFilterModel::setSearchText(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    const QModelIndex row = source->index(sourceRow, LogModel::MessageColumn, sourceParent);
    if (row.data(LogModel::LevelRole).toInt() < int(m_minimumLevel))
        return false;
    const QString component = row.data(LogModel::ComponentRole).toString();
    if (!m_component.isEmpty() && component != m_component)
        return false;
    return m_search.isEmpty() || row.data().toString().contains(m_search, Qt::CaseInsensitive)
        || component.contains(m_search, Qt::CaseInsensitive);
}

} // namespace Pitwall
