#pragma once

#include "relay/ingestevent.h"
#include "relay/ingestresult.h"
#include "relay/storedevent.h"
#include "relay/storeerror.h"
#include "relay/streammetrics.h"
#include "relay/streamrecord.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Pitwall {

class Database;

// The relay's streams, canonical events and their metrics (receiver cursors: CursorStore).
// Thread-safe like Database: every call uses the calling thread's connection. Failures return
// std::nullopt / false and fill *error.
class EventStore final
{
public:
    explicit EventStore(const Database &database) : m_database(database) { }

    // The stream of (forwarder, reader), created with epoch 1 on first sight.
    std::optional<StreamRecord> ensureStream(const QString &forwarderId, const QString &readerIp,
                                          StoreError *error) const;

    // Stores one batch in one transaction: new keys are inserted (canonical), identical bytes
    // under a stored key are retransmits, different bytes are conflicts (acked, counted, the
    // rejected bytes kept in event_conflicts, logged as INTEGRITY_CONFLICT). Metrics move in the
    // same transaction; an event of a higher epoch advances the stream's epoch. notify, when
    // the batch stored new events, is sent in the transaction too: it arrives after the commit.
    // A PostgreSQL NOTIFY to send with a batch that stored new events (SQLite: ignored).
    struct Notification
    {
        QString channel;
        QString payload;
    };
    std::optional<IngestResult> ingest(const QString &streamId, const QList<IngestEvent> &events,
                                       StoreError *error,
                                       const std::optional<Notification> &notify = {}) const;

    // Persists a requested epoch reset: pending_epoch = current epoch + 1 (repeated requests
    // before the new epoch's first event keep that target). Returns the pending epoch; the
    // ingest of its first event clears it.
    std::optional<qint64> requestEpochReset(const QString &streamId, StoreError *error) const;

    std::optional<StreamMetrics> metrics(const QString &streamId, StoreError *error) const;

    // Events of one epoch with seq > afterSeq, ascending, at most limit.
    std::optional<QList<StoredEvent>> eventsAfter(const QString &streamId, qint64 epoch,
                                                  qint64 afterSeq, StoreError *error,
                                                  int limit = 500) const;

    // Events after a key across epochs (only of `epoch` when set), ascending by (epoch, seq):
    // the page a receiver's replay reads next. receivedAt is left unset: receivers are not sent
    // it, and converting it costs about as much as the rest of the row.
    std::optional<QList<StoredEvent>> eventsFrom(const QString &streamId, EventKey after,
                                                 std::optional<qint64> epoch, int limit,
                                                 StoreError *error) const;

    // The highest stored (epoch, seq) of the stream (of one epoch when set); (0, 0) when
    // there is none.
    std::optional<EventKey> lastKey(const QString &streamId, std::optional<qint64> epoch,
                                    StoreError *error) const;

    // Feeds all events of the stream (or of one epoch), ordered by (epoch, seq), to chunk in
    // pieces of chunkSize; chunk returns false to stop early. Memory stays bounded by a chunk.
    using ChunkSink = std::function<bool(const QList<StoredEvent> &)>;
    bool exportRows(const QString &streamId, std::optional<qint64> epoch, const ChunkSink &chunk,
                    StoreError *error, int chunkSize = 1000) const;

private:
    std::optional<QList<StoredEvent>> page(const QString &streamId, std::optional<qint64> epoch,
                                           EventKey after, int limit, bool withReceivedAt,
                                           StoreError *error) const;

    const Database &m_database;
};

} // namespace Pitwall
