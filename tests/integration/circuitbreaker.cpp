#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "core/db/migrationrunner.h"
#include "testdatabase.h"
#include "vod/circuitbreaker.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using namespace std::chrono_literals;

namespace {

const QString alice = u"alice"_s;
const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

bool transitioned(const CircuitUpdate &update, CircuitState from, CircuitState to)
{
    return update.transition && update.transition->from == from && update.transition->to == to;
}

} // namespace

class TestCircuitBreaker final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void disabledBreakerNeverOpens();
    void opensAtTheThreshold();
    void halfOpensLazilyAfterTheCooldown();
    void halfOpenFailureReopens();
    void successCloses();
    void runbookClearReadsClosed();
    void handEditedValuesReadAsDefaults();
    void channelsAreIsolated();

private:
    CircuitBreaker breaker(int threshold = 3, const QString &channel = alice) const
    {
        return CircuitBreaker(m_testDb->database(), channel, threshold, 5s);
    }
    CircuitUpdate fail(const CircuitBreaker &breaker, const QDateTime &now);
    // The raw kv value, empty when absent.
    QString kv(const QString &key, const QString &channel = alice);
    void execSql(const QString &sql);

    std::unique_ptr<TestDatabase> m_testDb;
};

void TestCircuitBreaker::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
}

void TestCircuitBreaker::cleanup()
{
    m_testDb.reset();
}

CircuitUpdate TestCircuitBreaker::fail(const CircuitBreaker &breaker, const QDateTime &now)
{
    StoreError error;
    const std::optional<CircuitUpdate> update = breaker.recordFailure(now, &error);
    if (!update)
        qFatal("recordFailure: %s", qPrintable(error.message));
    return *update;
}

QString TestCircuitBreaker::kv(const QString &key, const QString &channel)
{
    return KvStore(m_testDb->database().connection()).value(channel, key).value_or(QString());
}

void TestCircuitBreaker::execSql(const QString &sql)
{
    QSqlQuery query(m_testDb->database().connection());
    QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
}

void TestCircuitBreaker::disabledBreakerNeverOpens()
{
    const CircuitBreaker disabled = breaker(0);
    QVERIFY(!disabled.enabled());
    for (int n = 0; n < 10; ++n) {
        const CircuitUpdate update = fail(disabled, t0);
        QVERIFY(update.allowsWork);
        QVERIFY(!update.transition);
    }
    StoreError error;
    QVERIFY(disabled.beforeCycle(t0, &error)->allowsWork);
    QVERIFY(kv(u"circuit_state"_s).isEmpty());
    QVERIFY(kv(u"circuit_failures"_s).isEmpty());
}

void TestCircuitBreaker::opensAtTheThreshold()
{
    const CircuitBreaker b = breaker();
    QVERIFY(!fail(b, t0).transition);
    QCOMPARE(kv(u"circuit_failures"_s), u"1"_s);
    const CircuitUpdate second = fail(b, t0.addSecs(1));
    QVERIFY(!second.transition);
    QVERIFY(second.allowsWork);
    const CircuitUpdate third = fail(b, t0.addSecs(2));
    QVERIFY(transitioned(third, CircuitState::Closed, CircuitState::Open));
    QVERIFY(!third.allowsWork);
    QCOMPARE(third.snapshot.failures, 3);
    QCOMPARE(kv(u"circuit_state"_s), u"open"_s);
    QCOMPARE(kv(u"circuit_failures"_s), u"3"_s);
    QCOMPARE(kv(u"circuit_open_until"_s), u"2024-05-01T12:00:07Z"_s);
    // RFC 3339 in whole seconds, never earlier than now + cooldown.
    const CircuitBreaker other = breaker(1, u"bob"_s);
    fail(other, t0.addMSecs(250));
    QCOMPARE(kv(u"circuit_open_until"_s, u"bob"_s), u"2024-05-01T12:00:06Z"_s);
}

void TestCircuitBreaker::halfOpensLazilyAfterTheCooldown()
{
    const CircuitBreaker b = breaker(1);
    fail(b, t0);
    StoreError error;
    const CircuitUpdate waiting = *b.beforeCycle(t0.addSecs(4), &error);
    QVERIFY(!waiting.allowsWork);
    QVERIFY(!waiting.transition);
    QCOMPARE(kv(u"circuit_state"_s), u"open"_s);
    const CircuitUpdate probe = *b.beforeCycle(t0.addSecs(5), &error);
    QVERIFY(probe.allowsWork);
    QVERIFY(transitioned(probe, CircuitState::Open, CircuitState::HalfOpen));
    QCOMPARE(kv(u"circuit_state"_s), u"half-open"_s);
    // Only the first cycle after the cooldown makes the change.
    QVERIFY(!b.beforeCycle(t0.addSecs(6), &error)->transition);
    QCOMPARE(b.read(&error)->state, CircuitState::HalfOpen);
}

void TestCircuitBreaker::halfOpenFailureReopens()
{
    const CircuitBreaker b = breaker(2);
    fail(b, t0);
    fail(b, t0);
    StoreError error;
    b.beforeCycle(t0.addSecs(10), &error);
    const CircuitUpdate reopened = fail(b, t0.addSecs(11));
    QVERIFY(transitioned(reopened, CircuitState::HalfOpen, CircuitState::Open));
    QCOMPARE(reopened.snapshot.failures, 2); // the probe's failure is not added
    QCOMPARE(kv(u"circuit_failures"_s), u"2"_s);
    QCOMPARE(kv(u"circuit_open_until"_s), u"2024-05-01T12:00:16Z"_s);
    QCOMPARE(b.read(&error)->openUntil, t0.addSecs(16));
    QVERIFY(!b.beforeCycle(t0.addSecs(15), &error)->allowsWork);
}

void TestCircuitBreaker::successCloses()
{
    const CircuitBreaker b = breaker(1);
    fail(b, t0);
    StoreError error;
    b.beforeCycle(t0.addSecs(5), &error);
    const CircuitUpdate closed = *b.recordSuccess(&error);
    QVERIFY(transitioned(closed, CircuitState::HalfOpen, CircuitState::Closed));
    QVERIFY(closed.allowsWork);
    QCOMPARE(kv(u"circuit_state"_s), u"closed"_s);
    QCOMPARE(kv(u"circuit_failures"_s), u"0"_s);
    QVERIFY(kv(u"circuit_open_until"_s).isEmpty());
    // A success while closed zeroes the failures without a transition.
    const CircuitBreaker patient = breaker(3);
    fail(patient, t0);
    QCOMPARE(kv(u"circuit_failures"_s), u"1"_s);
    const CircuitUpdate quiet = *patient.recordSuccess(&error);
    QVERIFY(!quiet.transition);
    QCOMPARE(kv(u"circuit_failures"_s), u"0"_s);
    // A download that finishes while the breaker is open closes it as well.
    fail(b, t0.addSecs(20));
    QVERIFY(transitioned(*b.recordSuccess(&error), CircuitState::Open, CircuitState::Closed));
}

void TestCircuitBreaker::runbookClearReadsClosed()
{
    const CircuitBreaker b = breaker(1);
    fail(b, t0);
    QCOMPARE(kv(u"circuit_state"_s), u"open"_s);
    // Data Management: "To clear circuit breaker", verbatim.
    execSql(u"DELETE FROM kv WHERE key IN "
            "('circuit_state','circuit_failures','circuit_open_until');"_s);
    StoreError error;
    const CircuitSnapshot snapshot = *b.read(&error);
    QCOMPARE(snapshot.state, CircuitState::Closed);
    QCOMPARE(snapshot.failures, 0);
    QVERIFY(!snapshot.openUntil.isValid());
    const CircuitUpdate update = *b.beforeCycle(t0.addSecs(1), &error);
    QVERIFY(update.allowsWork);
    QVERIFY(!update.transition);
    // Counting starts afresh.
    QVERIFY(transitioned(fail(b, t0.addSecs(2)), CircuitState::Closed, CircuitState::Open));
}

void TestCircuitBreaker::handEditedValuesReadAsDefaults()
{
    KvStore store(m_testDb->database().connection());
    QVERIFY(store.setValue(alice, u"circuit_state"_s, u"ajar"_s));
    QVERIFY(store.setValue(alice, u"circuit_failures"_s, u"many"_s));
    StoreError error;
    const CircuitSnapshot snapshot = *breaker().read(&error);
    QCOMPARE(snapshot.state, CircuitState::Closed);
    QCOMPARE(snapshot.failures, 0);
    // Open without a readable open_until has nothing to wait for.
    QVERIFY(store.setValue(alice, u"circuit_state"_s, u"open"_s));
    QVERIFY(store.setValue(alice, u"circuit_open_until"_s, u"soon"_s));
    QVERIFY(transitioned(*breaker().beforeCycle(t0, &error), CircuitState::Open,
                         CircuitState::HalfOpen));
    QCOMPARE(toText(CircuitState::HalfOpen), u"half-open"_s);
    QCOMPARE(circuitStateFromText(u"half-open"), CircuitState::HalfOpen);
    QCOMPARE(circuitStateFromText(u"Open"), std::nullopt);
}

void TestCircuitBreaker::channelsAreIsolated()
{
    fail(breaker(1), t0);
    StoreError error;
    QCOMPARE(breaker(1).read(&error)->state, CircuitState::Open);
    const CircuitBreaker bob = breaker(1, u"bob"_s);
    QCOMPARE(bob.read(&error)->state, CircuitState::Closed);
    QVERIFY(bob.beforeCycle(t0.addSecs(1), &error)->allowsWork);
    bob.recordSuccess(&error);
    QCOMPARE(kv(u"circuit_state"_s), u"open"_s);
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "circuitbreaker.moc"
