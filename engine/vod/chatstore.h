#pragma once

#include "relay/storeerror.h"
#include "vod/storedchatmessage.h"

#include <QList>

#include <optional>

namespace Pitwall {

class Database;

// The chat_messages table. Thread-safe like Database: every call uses the calling thread's
// connection, so it is cheap to make one where it is needed.
class ChatStore final
{
public:
    explicit ChatStore(const Database &database) : m_database(database) { }

    // Inserts the rows in one transaction with multi-row statements; a message id already
    // stored for its channel is skipped. The number of rows actually inserted.
    std::optional<int> insert(const QList<StoredChatMessage> &rows, StoreError *error) const;
    // A VOD's messages ordered by (rel_timestamp, id).
    std::optional<QList<StoredChatMessage>> messages(const QString &vodId, const ChatQuery &query,
                                                     StoreError *error) const;
    // One row by its id, within its VOD (where an SSE client that lost its stream resumes);
    // NotFound when there is none.
    std::optional<StoredChatMessage> message(const QString &vodId, qint64 id,
                                             StoreError *error) const;

    // The text of a timestamp column parameter: ISO 8601 UTC with milliseconds, which SQLite
    // stores as is and PostgreSQL reads into TIMESTAMPTZ.
    static QString timestampValue(const QDateTime &time);

private:
    const Database &m_database;
};

} // namespace Pitwall
