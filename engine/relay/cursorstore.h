#pragma once

#include "relay/receivercursor.h"
#include "relay/storeerror.h"

#include <QList>
#include <QString>
#include <QVariantList>

#include <optional>

namespace Pitwall {

class Database;

// Durable receiver cursors, one per (receiver, stream, epoch), so late events of an older epoch
// are still replayed. Thread-safe like Database: every call uses the calling thread's connection.
class CursorStore final
{
public:
    explicit CursorStore(const Database &database) : m_database(database) { }

    // Moves a cursor forward only (an older ack leaves it where it is); false only on failure.
    bool upsertCursor(const QString &receiverId, const QString &streamId, qint64 epoch,
                      qint64 seq, StoreError *error) const;
    // All cursors (of one receiver, and one stream of it, when given), ordered by receiver,
    // stream, epoch.
    std::optional<QList<ReceiverCursor>> cursors(StoreError *error,
                                                 const QString &receiverId = {},
                                                 const QString &streamId = {}) const;
    // Deletes a receiver's cursors (of one stream when streamId is set); the number deleted.
    std::optional<int> deleteCursors(const QString &receiverId,
                                     const std::optional<QString> &streamId,
                                     StoreError *error) const;
    // Deletes every cursor of every receiver; the number deleted.
    std::optional<int> deleteAllCursors(StoreError *error) const;

private:
    // Runs a DELETE; the number of rows deleted.
    std::optional<int> remove(const QString &sql, const QVariantList &values,
                              StoreError *error) const;

    const Database &m_database;
};

} // namespace Pitwall
