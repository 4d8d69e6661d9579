#pragma once

#include "relay/eventkey.h"
#include "relay/ingestevent.h"
#include "relay/storeerror.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

class QSqlQuery;

namespace Pitwall {

class IngestPlan;

// The statements of EventStore::ingest() around its plan, run inside the caller's transaction.
class IngestSql final
{
public:
    // Invalid (naming the event) unless every event has epoch >= 1, seq >= 1 and a read type.
    static bool validate(const QList<IngestEvent> &events, StoreError *error);
    // The frames already stored under the batch's keys.
    static bool storedFrames(QSqlQuery &query, const QString &streamId,
                             const QList<IngestEvent> &events, QHash<EventKey, QByteArray> *stored,
                             StoreError *error);
    // One UPDATE that moves the counters by what the batch did; the epoch counters restart when
    // the batch advanced the epoch. now: the dialect's current-time expression.
    static bool updateMetrics(QSqlQuery &query, const QString &streamId,
                              const QList<IngestEvent> &events, const IngestPlan &plan,
                              const QString &now, StoreError *error);
};

} // namespace Pitwall
