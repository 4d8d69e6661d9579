#include "vod/timingaverages.h"

#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "relay/storesql.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// The stored value as a number; nullopt when absent or not an integer. Only a failed read
// sets *error.
std::optional<qint64> storedAverage(const KvStore &kv, const QString &channel,
                                    TimingAverages::Kind kind, StoreError *error)
{
    QString text;
    const std::optional<QString> value = kv.value(channel, TimingAverages::key(kind), &text);
    if (!value) {
        if (!text.isEmpty())
            StoreSql::fail(error, StoreError::Kind::Failed, text);
        return std::nullopt;
    }
    bool ok = false;
    const qint64 ms = value->trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(ms) : std::nullopt;
}

} // namespace

QString TimingAverages::key(Kind kind)
{
    switch (kind) {
    case Kind::Download:
        return u"avg_download_ms"_s;
    case Kind::Upload:
        return u"avg_upload_ms"_s;
    case Kind::Total:
        return u"avg_total_ms"_s;
    }
    Q_UNREACHABLE();
    return {};
}

qint64 TimingAverages::blend(std::optional<qint64> average, qint64 sampleMs)
{
    const qint64 sample = qMax<qint64>(0, sampleMs);
    if (!average)
        return sample;
    return std::llround(weight * double(sample) + (1.0 - weight) * double(*average));
}

TimingAverages::TimingAverages(const Database &database, const QString &channel)
    : m_database(database)
    , m_channel(channel)
{
}

std::optional<qint64> TimingAverages::record(Kind kind, qint64 sampleMs, StoreError *error) const
{
    qint64 next = 0;
    const bool ok = StoreSql::inTransaction(m_database, error, [&](QSqlDatabase &db) {
        KvStore kv(db);
        StoreError failure;
        const std::optional<qint64> average = storedAverage(kv, m_channel, kind, &failure);
        if (failure.kind != StoreError::Kind::None)
            return StoreSql::fail(error, failure.kind, failure.message);
        next = blend(average, sampleMs);
        QString text;
        return kv.setValue(m_channel, key(kind), QString::number(next), &text)
                || StoreSql::fail(error, StoreError::Kind::Failed, text);
    });
    if (!ok)
        return std::nullopt;
    return next;
}

std::optional<TimingAverages::Values> TimingAverages::read(StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    const KvStore kv(db);
    StoreError failure;
    Values values{storedAverage(kv, m_channel, Kind::Download, &failure),
                  storedAverage(kv, m_channel, Kind::Upload, &failure),
                  storedAverage(kv, m_channel, Kind::Total, &failure)};
    if (failure.kind != StoreError::Kind::None) {
        if (error)
            *error = failure;
        return std::nullopt;
    }
    return values;
}

} // namespace Pitwall
