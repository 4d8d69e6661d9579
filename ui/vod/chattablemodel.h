#pragma once

#include "vod/storedchatmessage.h"

#include <QAbstractTableModel>
#include <QList>

namespace Pitwall {

// Chat lines for the chat panel: one VOD's stored chat, or, with no VOD chosen, the live chat
// of every channel as it is recorded. Bounded: past the limit the oldest rows are removed.
class ChatTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Offset, User, Message, ColumnCount };

    explicit ChatTableModel(int maxRows = 5000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The VOD whose chat is shown; empty: live chat of every channel.
    QString vodId() const { return m_vodId; }
    // Switches to this VOD's chat; its rows come with setMessages().
    void showVod(const QString &vodId);

public slots:
    // A loaded page of the shown VOD's chat; ignored when another VOD was chosen meanwhile.
    void setMessages(const QString &vodId, const QList<Pitwall::StoredChatMessage> &rows);
    // Rows just recorded: appended when they belong to what is shown.
    void appendLive(const QString &channel, const QList<Pitwall::StoredChatMessage> &rows);

private:
    void append(const QList<StoredChatMessage> &rows);

    const int m_maxRows;
    QString m_vodId;
    QList<StoredChatMessage> m_rows;
};

} // namespace Pitwall
