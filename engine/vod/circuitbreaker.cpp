#include "vod/circuitbreaker.h"

#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "relay/storesql.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QString stateKey = u"circuit_state"_s;
const QString failuresKey = u"circuit_failures"_s;
const QString openUntilKey = u"circuit_open_until"_s;

// One kv value; false (and *error) only when the read failed, absent keys are empty.
bool readValue(const KvStore &kv, const QString &channel, const QString &key, QString *value,
               StoreError *error)
{
    QString text;
    const std::optional<QString> stored = kv.value(channel, key, &text);
    if (!stored && !text.isEmpty())
        return StoreSql::fail(error, StoreError::Kind::Failed, text);
    *value = stored.value_or(QString());
    return true;
}

std::optional<CircuitSnapshot> readSnapshot(const KvStore &kv, const QString &channel,
                                            StoreError *error)
{
    QString state;
    QString failures;
    QString openUntil;
    if (!readValue(kv, channel, stateKey, &state, error)
        || !readValue(kv, channel, failuresKey, &failures, error)
        || !readValue(kv, channel, openUntilKey, &openUntil, error)) {
        return std::nullopt;
    }
    // Values edited by hand into something else read as the defaults.
    CircuitSnapshot snapshot;
    snapshot.state = circuitStateFromText(state.trimmed()).value_or(CircuitState::Closed);
    snapshot.failures = qMax(0, failures.trimmed().toInt());
    snapshot.openUntil =
            QDateTime::fromString(openUntil.trimmed(), Qt::ISODateWithMs).toUTC();
    return snapshot;
}

bool writeSnapshot(KvStore &kv, const QString &channel, const CircuitSnapshot &before,
                   const CircuitSnapshot &after, StoreError *error)
{
    QString text;
    bool ok = true;
    if (after.state != before.state)
        ok = kv.setValue(channel, stateKey, toText(after.state), &text);
    if (ok && after.failures != before.failures)
        ok = kv.setValue(channel, failuresKey, QString::number(after.failures), &text);
    if (ok && after.openUntil != before.openUntil) {
        ok = after.openUntil.isValid()
                ? kv.setValue(channel, openUntilKey, after.openUntil.toString(Qt::ISODate), &text)
                : kv.remove(channel, openUntilKey, &text);
    }
    return ok || StoreSql::fail(error, StoreError::Kind::Failed, text);
}

} // namespace

CircuitBreaker::CircuitBreaker(const Database &database, const QString &channel, int threshold,
                               std::chrono::milliseconds cooldown)
    : m_database(database)
    , m_channel(channel)
    , m_threshold(qMax(0, threshold))
    , m_cooldown(cooldown)
{
}

std::optional<CircuitSnapshot> CircuitBreaker::read(StoreError *error) const
{
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    return readSnapshot(KvStore(db), m_channel, error);
}

std::optional<CircuitUpdate> CircuitBreaker::beforeCycle(const QDateTime &now,
                                                         StoreError *error) const
{
    return update(
            [&](CircuitSnapshot &s) {
                // Open with no (or an unreadable) open_until has nothing to wait for.
                if (enabled() && s.state == CircuitState::Open
                    && (!s.openUntil.isValid() || s.openUntil <= now)) {
                    s.state = CircuitState::HalfOpen;
                }
            },
            error);
}

std::optional<CircuitUpdate> CircuitBreaker::recordFailure(const QDateTime &now,
                                                           StoreError *error) const
{
    return update(
            [&](CircuitSnapshot &s) {
                if (!enabled())
                    return;
                if (s.state == CircuitState::HalfOpen) {
                    s.state = CircuitState::Open;
                    s.openUntil = openUntil(now);
                    return;
                }
                ++s.failures;
                if (s.state == CircuitState::Closed && s.failures >= m_threshold) {
                    s.state = CircuitState::Open;
                    s.openUntil = openUntil(now);
                }
            },
            error);
}

std::optional<CircuitUpdate> CircuitBreaker::recordSuccess(StoreError *error) const
{
    return update([](CircuitSnapshot &s) { s = CircuitSnapshot(); }, error);
}

template<typename Step>
std::optional<CircuitUpdate> CircuitBreaker::update(Step step, StoreError *error) const
{
    CircuitSnapshot before;
    CircuitSnapshot after;
    const bool ok = StoreSql::inTransaction(m_database, error, [&](QSqlDatabase &db) {
        if (m_database.dialect().isPostgres()) {
            // Read-modify-write of three keys: daemons sharing the database take turns.
            QSqlQuery lock(db);
            if (!StoreSql::run(lock, u"SELECT pg_advisory_xact_lock(hashtext(?))"_s,
                               {u"pitwall circuit "_s + m_channel}, error)) {
                return false;
            }
        }
        KvStore kv(db);
        const std::optional<CircuitSnapshot> stored = readSnapshot(kv, m_channel, error);
        if (!stored)
            return false;
        before = after = *stored;
        step(after);
        return writeSnapshot(kv, m_channel, before, after, error);
    });
    if (!ok)
        return std::nullopt;
    CircuitUpdate result;
    result.snapshot = after;
    result.allowsWork = !enabled() || after.state != CircuitState::Open;
    if (after.state != before.state)
        result.transition = CircuitTransition{before.state, after.state};
    return result;
}

QDateTime CircuitBreaker::openUntil(const QDateTime &now) const
{
    // RFC 3339 in whole seconds, rounded up so the breaker never half-opens early.
    const qint64 ms = now.toMSecsSinceEpoch() + m_cooldown.count();
    return QDateTime::fromSecsSinceEpoch((ms + 999) / 1000, Qt::UTC);
}

} // namespace Pitwall
