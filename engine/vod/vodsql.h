#pragma once

#include "vod/vodrecord.h"
#include "vod/vodstate.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

class QSqlQuery;

namespace Pitwall {

// How the VOD queue's values are written and read on both dialects.
class VodSql final
{
public:
    // The SELECT list record() reads, in its order.
    static QString columns();
    // The row at the query's current position, selected with columns().
    static VodRecord record(const QSqlQuery &query);

    // A bound timestamp: ISO 8601 UTC text with milliseconds, which SQLite stores as it is
    // (and compares as text, chronologically) and PostgreSQL reads into TIMESTAMPTZ. A typed
    // NULL for a null QDateTime.
    static QVariant timestamp(const QDateTime &time);
    // Bound text, a typed NULL for an empty string.
    static QVariant text(const QString &text);
    // "'queued', 'failed_retry'" for an IN (...) list: the words come from toText(), never
    // from input, so they may be part of the statement text.
    static QString stateList(const QList<VodState> &states);
    // The same for every state matching the predicate.
    static QString stateList(bool (*predicate)(VodState));
};

} // namespace Pitwall
