#include "shell/logmodel.h"

#include "core/log/logring.h"

#include <QFont>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

LogModel::LogModel(const LogRing &ring, int maxRows, QObject *parent)
    : QAbstractTableModel(parent)
    , m_ring(ring)
    , m_maxRows(std::max(1, maxRows))
{
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry &entry = m_entries[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return entry.timestamp.toLocalTime().toString(u"HH:mm:ss.zzz"_s);
        case LevelColumn:
            return logLevelName(entry.level);
        case ComponentColumn:
            return entry.component;
        case MessageColumn:
            return entry.message;
        }
        return {};
    case Qt::ToolTipRole:
        return tooltip(entry);
    case Qt::FontRole:
        // Bold rather than a colour: readable on light and dark palettes alike.
        if (entry.level >= LogLevel::Warn) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case LevelRole:
        return int(entry.level);
    case ComponentRole:
        return entry.component;
    case IdRole:
        return entry.id;
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case ComponentColumn:
        return tr("Component");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

void LogModel::poll()
{
    if (m_ring.lastId() == m_lastId)
        return;
    append(m_ring.entriesSince(m_lastId, m_ring.capacity()));
}

void LogModel::append(QList<LogEntry> entries)
{
    if (entries.isEmpty())
        return;
    m_lastId = entries.constLast().id;
    // More new entries than rows allowed: only the newest can be shown.
    if (entries.size() > m_maxRows)
        entries.remove(0, entries.size() - m_maxRows);
    const auto overflow = qsizetype(m_entries.size()) + entries.size() - m_maxRows;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + overflow);
        endRemoveRows();
    }
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    m_entries.insert(m_entries.end(), entries.cbegin(), entries.cend());
    endInsertRows();
    for (const LogEntry &entry : std::as_const(entries)) {
        if (!m_components.contains(entry.component)) {
            m_components.insert(entry.component);
            emit componentAdded(entry.component);
        }
    }
}

QString LogModel::tooltip(const LogEntry &entry)
{
    QString text = logTimestamp(entry.timestamp) + u'\n' + entry.message;
    if (!entry.correlationId.isEmpty())
        text += u'\n' + tr("Correlation id: %1").arg(entry.correlationId);
    if (!entry.fields.isEmpty())
        text += u'\n' + QString::fromUtf8(QJsonDocument(entry.fields).toJson(QJsonDocument::Compact));
    return text;
}

} // namespace Pitwall
