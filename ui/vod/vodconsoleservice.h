#pragma once

#include "vod/storedchatmessage.h"
#include "vod/vodrecord.h"

#include <QObject>

namespace Pitwall {

class Database;

// The VOD panels' reads, on a worker thread of the console with that thread's own database
// connection: the queue's rows and a VOD's stored chat. Results and failures are signals.
class VodConsoleService final : public QObject
{
    Q_OBJECT

public:
    explicit VodConsoleService(const Database &database, QObject *parent = nullptr);

    void loadVods();
    // The first `limit` rows of a VOD's (or live session's) chat, oldest first.
    void loadChat(const QString &vodId, int limit);

signals:
    void vodsLoaded(const QList<Pitwall::VodRecord> &vods);
    void chatLoaded(const QString &vodId, const QList<Pitwall::StoredChatMessage> &rows);
    void failed(const QString &message);

private:
    const Database &m_database;
};

} // namespace Pitwall
