#include "chattablemodel.h"

#include <QColor>
#include <QLocale>
#include <QSet>

namespace Pitwall {

ChatTableModel::ChatTableModel(int maxRows, QObject *parent)
    : QAbstractTableModel(parent)
    , m_maxRows(maxRows)
{
}

int ChatTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ChatTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChatTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Offset: return tr("Offset");
    case User: return tr("User");
    case Message: return tr("Message");
    default: return {};
    }
}

QVariant ChatTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StoredChatMessage &row = m_rows.at(index.row());
    const ChatMessage &message = row.message;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time:
            return QLocale().toString(message.sentAt.toLocalTime().time(), QLocale::ShortFormat);
        case Offset: {
            const qint64 seconds = qint64(row.relTimestamp);
            return QStringLiteral("%1:%2:%3")
                .arg(seconds / 3600)
                .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
                .arg(seconds % 60, 2, 10, QLatin1Char('0'));
        }
        case User:
            return message.displayName.isEmpty() ? message.username : message.displayName;
        case Message:
            return message.text;
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == User && !message.color.isEmpty()) {
        const QColor color = QColor::fromString(message.color);
        return color.isValid() ? QVariant(color) : QVariant();
    }
    if (role == Qt::ToolTipRole && index.column() == User) {
        return tr("%1 in #%2; badges: %3")
            .arg(message.username, message.channel,
                 message.badges.isEmpty() ? tr("none") : message.badges.join(u", "));
    }
    if (role == Qt::ToolTipRole && index.column() == Message && !message.replyToId.isEmpty())
        return tr("Reply to %1: %2").arg(message.replyToUsername, message.replyToMessage);
    return {};
}

void ChatTableModel::showVod(const QString &vodId)
{
    if (vodId == m_vodId)
        return;
    m_vodId = vodId;
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

void ChatTableModel::setMessages(const QString &vodId, const QList<StoredChatMessage> &rows)
{
    if (vodId != m_vodId)
        return;
    // Live rows that arrived while the page loaded may be in it too: show each row once,
    // the stored page first.
    QSet<qint64> loaded;
    for (const StoredChatMessage &row : rows)
        loaded.insert(row.id);
    QList<StoredChatMessage> combined = rows;
    for (const StoredChatMessage &row : std::as_const(m_rows)) {
        if (!loaded.contains(row.id))
            combined.append(row);
    }
    if (!m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    append(combined);
}

void ChatTableModel::appendLive(const QString &channel, const QList<StoredChatMessage> &rows)
{
    Q_UNUSED(channel)
    if (m_vodId.isEmpty()) {
        append(rows);
        return;
    }
    QList<StoredChatMessage> shown;
    for (const StoredChatMessage &row : rows) {
        if (row.vodId == m_vodId)
            shown.append(row);
    }
    append(shown);
}

void ChatTableModel::append(const QList<StoredChatMessage> &rows)
{
    if (rows.isEmpty())
        return;
    const QList<StoredChatMessage> kept = rows.size() > m_maxRows ? rows.last(m_maxRows) : rows;
    const int excess = int(m_rows.size() + kept.size()) - m_maxRows;
    if (excess > 0) {
        beginRemoveRows({}, 0, excess - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(kept.size()) - 1);
    m_rows.append(kept);
    endInsertRows();
}

} // namespace Pitwall
