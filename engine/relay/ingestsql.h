#pragma once

#include "relay/eventkey.h"
#include "relay/ingestevent.h"
#include "relay/storeerror.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace Pitwall {

class Database;
class IngestPlan;

// The statements of EventStore::ingest() for one stream, run inside the caller's transaction
// on the calling thread's connection. A batch is acked after a round trip per statement, so
// they are few, fixed and kept prepared (Database::kept()); on PostgreSQL the batch goes
// as one array per column instead of thousands of bound values.
class IngestSql final
{
public:
    IngestSql(const Database &database, QSqlDatabase db, QString streamId);

    // Invalid (naming the event) unless every event has epoch >= 1, seq >= 1 and a read type.
    static bool validate(const QList<IngestEvent> &events, StoreError *error);
    // The frames already stored under the batch's keys.
    bool storedFrames(const QList<IngestEvent> &events, QHash<EventKey, QByteArray> *stored,
                      StoreError *error);
    // Inserts the plan's canonical events and adds their chips of the plan's new epoch to
    // stream_epoch_chips; *newChips: how many of those chips that epoch had not seen.
    bool insertCanonical(const QList<IngestEvent> &events, const IngestPlan &plan,
                         qint64 *newChips, StoreError *error);
    // One upsert that moves the counters by what the batch did (and re-creates a metrics row a
    // DB admin deleted); the epoch counters restart when the batch advanced the epoch.
    bool updateMetrics(const QList<IngestEvent> &events, const IngestPlan &plan, qint64 newChips,
                       StoreError *error);

private:
    bool run(const QString &sql, const QVariantList &values, StoreError *error);
    QSqlQuery &ran() { return *m_ran; }

    const Database &m_database;
    QSqlDatabase m_db;
    bool m_postgres;
    QString m_streamId;
    QSqlQuery m_local;
    QSqlQuery *m_ran = &m_local; // the query of the last statement, kept or m_local
};

} // namespace Pitwall
