#pragma once

#include "relay/storeerror.h"
#include "vod/livesession.h"

#include <QList>

#include <optional>

namespace Pitwall {

class Database;

// The live_sessions table and the reconciliation that moves a session's chat to its archived
// VOD. Thread-safe like Database.
class LiveSessionStore final
{
public:
    explicit LiveSessionStore(const Database &database) : m_database(database) { }

    // The session of the broadcast that started at startedAt, created on first sight. Seen
    // again (the daemon restarted during the broadcast, or the stream flapped offline and back)
    // it is open again and records on under the same placeholder.
    std::optional<LiveSession> begin(const QString &channel, const QDateTime &startedAt,
                                     const QString &title, StoreError *error) const;
    bool end(const LiveSession &session, const QDateTime &endedAt, StoreError *error) const;
    // The channel's sessions not reconciled yet, oldest first.
    std::optional<QList<LiveSession>> unreconciled(const QString &channel,
                                                   StoreError *error) const;

    // In one transaction: upserts the archive into vods (refreshing title, date and duration of
    // an existing row), shifts the session's chat by (archive created_at - started_at) and
    // moves it to the archive's id, and marks the session reconciled. The number of chat rows
    // moved.
    std::optional<int> reconcile(const LiveSession &session, const ArchivedVod &vod,
                                 StoreError *error) const;

private:
    const Database &m_database;
};

} // namespace Pitwall
