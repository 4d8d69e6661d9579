#include "core/db/database.h"
#include "core/db/migrationrunner.h"
#include "testdatabase.h"
#include "vod/vodstore.h"
#include "vod/vodtransitions.h"

#include <QMutex>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;
using namespace std::chrono_literals;

namespace {

const QString alice = u"alice"_s;
const QString workerA = u"node-a:1:0"_s;
const QString workerB = u"node-b:1:0"_s;
// Fixed times: the store takes every behaviour-driving time from its caller.
const QDateTime t0(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
const CycleRetryPolicy retry{3, 10min, 1h};

QDateTime day(int n)
{
    return t0.addDays(-30 + n);
}

DiscoveredVod vod(const QString &id, const QDateTime &date)
{
    return {id, u"Stream "_s + id, date, 3723};
}

} // namespace

class TestVodStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void discoveryInsertsOnlyNewRows();
    void claimOrderIsPriorityThenOldest();
    void claimHonoursLeasesAndExpiry();
    void claimHonoursNextAttemptAndBackCatalogue();
    void claimResumesTheUploadStage();
    void concurrentClaimsNeverShareARow();
    void transitionsFollowTheTable();
    void transitionsWriteAuditRows();
    void failuresBackOffThenTurnTerminal();
    void cancelIsItsOwnOutcome();
    void reprocessRequeues();
    void runbookSqlWorksAsWritten();
    void processedMatchesStateExactly();
    void uploadCapsCountUploadedAt();
    void countsPerChannel();
    void listNewestFirst();
    void progressAndUploadSession();
    void operatorEdits();

private:
    VodStore store() const { return VodStore(m_testDb->database()); }
    void seed(const QList<DiscoveredVod> &vods, const QString &channel = alice);
    VodRecord get(const QString &id);
    VodRecord claim(const QString &owner, const QDateTime &now = t0);
    // Claim (the only eligible row must be `id`), download and upload it: state done.
    VodRecord finish(const QString &id, const QDateTime &uploadedAt = t0);
    int exec(const QString &sql);

    std::unique_ptr<TestDatabase> m_testDb;
};

void TestVodStore::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
}

void TestVodStore::cleanup()
{
    m_testDb.reset();
}

void TestVodStore::seed(const QList<DiscoveredVod> &vods, const QString &channel)
{
    StoreError error;
    const std::optional<int> inserted = store().upsertDiscovered(channel, vods, &error);
    QVERIFY2(inserted, qPrintable(error.message));
}

VodRecord TestVodStore::get(const QString &id)
{
    StoreError error;
    const std::optional<VodRecord> found = store().get(id, &error);
    if (!found)
        qFatal("get %s: %s", qPrintable(id), qPrintable(error.message));
    return *found;
}

VodRecord TestVodStore::claim(const QString &owner, const QDateTime &now)
{
    StoreError error;
    const std::optional<VodRecord> claimed =
            store().claimNext({alice, owner, now, 2min, {}}, &error);
    if (!claimed)
        qFatal("claim by %s: %s", qPrintable(owner), qPrintable(error.message));
    return *claimed;
}

VodRecord TestVodStore::finish(const QString &id, const QDateTime &uploadedAt)
{
    StoreError error;
    const VodRecord claimed = claim(workerA, uploadedAt);
    if (claimed.twitchVodId != id)
        qFatal("claimed %s instead of %s", qPrintable(claimed.twitchVodId), qPrintable(id));
    const VodStore s = store();
    const bool ok = s.markDownloaded(claimed.id, workerA, u"/media/"_s + id, 100, &error)
            && s.transition(claimed.id,
                            {VodState::Downloaded, VodState::Uploading, u"upload"_s, workerA, {}},
                            &error)
            && s.markUploaded(claimed.id, workerA, u"https://www.youtube.com/watch?v=y"_s + id,
                              uploadedAt, &error);
    if (!ok)
        qFatal("finish %s: %s", qPrintable(id), qPrintable(error.message));
    return get(id);
}

int TestVodStore::exec(const QString &sql)
{
    QSqlQuery query(m_testDb->database().connection());
    if (!query.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return query.numRowsAffected();
}

void TestVodStore::discoveryInsertsOnlyNewRows()
{
    StoreError error;
    QCOMPARE(store().upsertDiscovered(alice, {vod(u"1"_s, day(1)), vod(u"2"_s, day(2))}, &error),
             2);
    QCOMPARE(store().upsertDiscovered(alice, {vod(u"2"_s, day(2)), vod(u"3"_s, day(3))}, &error),
             1);
    // The id is unique across channels: another channel's discovery leaves the row alone.
    QCOMPARE(store().upsertDiscovered(u"bob"_s, {vod(u"1"_s, day(9))}, &error), 0);
    const VodRecord one = get(u"1"_s);
    QCOMPARE(one.channel, alice);
    QCOMPARE(one.date, day(1));
    QCOMPARE(one.durationSeconds, 3723);
    QCOMPARE(one.state, VodState::Queued);
    QVERIFY(!one.processed);
    QCOMPARE(one.downloadAttempts, 0);

    QVERIFY(!store().upsertDiscovered(alice, {vod(u"live-1714564800"_s, day(4))}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY(!store().get(u"live-1714564800"_s, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
}

void TestVodStore::claimOrderIsPriorityThenOldest()
{
    // Research scenario 11: (p0, d1), (p0, d2), (p10, d5), (p-1, d0), (p10, d4).
    seed({vod(u"d1"_s, day(1)), vod(u"d2"_s, day(2)), vod(u"d5"_s, day(5)),
          vod(u"d0"_s, day(0)), vod(u"d4"_s, day(4))});
    StoreError error;
    QVERIFY(store().setPriority(u"d5"_s, 10, &error));
    QVERIFY(store().setPriority(u"d4"_s, 10, &error));
    QVERIFY(store().setPriority(u"d0"_s, -1, &error));
    QStringList order;
    for (int n = 0; n < 5; ++n) {
        const VodRecord claimed = claim(u"worker-%1"_s.arg(n));
        QCOMPARE(claimed.state, VodState::Downloading);
        QCOMPARE(claimed.leaseOwner, u"worker-%1"_s.arg(n));
        QCOMPARE(claimed.leaseExpiresAt, t0.addSecs(120));
        order << claimed.twitchVodId;
    }
    QCOMPARE(order, (QStringList{u"d4"_s, u"d5"_s, u"d1"_s, u"d2"_s, u"d0"_s}));
    QVERIFY(!store().claimNext({alice, u"worker-5"_s, t0, 2min, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    // Another channel's queue is its own.
    QVERIFY(!store().claimNext({u"bob"_s, u"worker-5"_s, t0, 2min, {}}, &error));
}

void TestVodStore::claimHonoursLeasesAndExpiry()
{
    seed({vod(u"v1"_s, day(1))});
    const VodRecord first = claim(workerA);
    StoreError error;
    QVERIFY(!store().claimNext({alice, workerB, t0.addSecs(60), 2min, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    // Renewed before it runs out, the lease holds on.
    QVERIFY2(store().renewLease(first.id, workerA, t0.addSecs(100), 2min, &error),
             qPrintable(error.message));
    QVERIFY(!store().claimNext({alice, workerB, t0.addSecs(200), 2min, {}}, &error));
    QVERIFY(store().writeProgress(first.id, workerA, 10, 100, t0.addSecs(200), &error));

    // Worker A dies: once its lease has run out, B takes the row over, still downloading.
    const VodRecord second = claim(workerB, t0.addSecs(221));
    QCOMPARE(second.id, first.id);
    QCOMPARE(second.state, VodState::Downloading);
    QCOMPARE(second.leaseOwner, workerB);
    QCOMPARE(second.downloadBytes, 10);
    // A, back from the dead, learns it lost the row at every call.
    QVERIFY(!store().renewLease(first.id, workerA, t0.addSecs(222), 2min, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!store().writeProgress(first.id, workerA, 20, 100, t0.addSecs(222), &error));
    QVERIFY(!store().markDownloaded(first.id, workerA, u"/media/v1"_s, 100, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!store().release(first.id, workerA, u"stop"_s, &error));
    QCOMPARE(get(u"v1"_s).leaseOwner, workerB);

    const QList<VodTransitionRecord> history = *store().history(u"v1"_s, &error);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(1).from, VodState::Downloading);
    QCOMPARE(history.at(1).to, VodState::Downloading);
    QCOMPARE(history.at(1).actor, workerB);
    QVERIFY2(history.at(1).reason.contains(workerA), qPrintable(history.at(1).reason));

    // Released on shutdown, it is claimable at once and queued meanwhile.
    const std::optional<VodRecord> released =
            store().release(second.id, workerB, u"engine stopping"_s, &error);
    QVERIFY2(released, qPrintable(error.message));
    QCOMPARE(released->state, VodState::Queued);
    QVERIFY(released->leaseOwner.isEmpty());
    QCOMPARE(claim(workerA, t0.addSecs(223)).id, first.id);
}

void TestVodStore::claimHonoursNextAttemptAndBackCatalogue()
{
    seed({vod(u"old"_s, day(1)), vod(u"new"_s, day(29))});
    StoreError error;
    // The back-catalogue cap is reached: only rows dated at or after the line are claimed.
    const VodRecord recent = *store().claimNext({alice, workerA, t0, 2min, day(20)}, &error);
    QCOMPARE(recent.twitchVodId, u"new"_s);
    QVERIFY(!store().claimNext({alice, workerB, t0, 2min, day(20)}, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);

    const std::optional<VodRecord> failed = store().recordDownloadFailure(
            recent.id, workerA, {u"HTTP Error 503"_s, false}, retry, t0, &error);
    QVERIFY2(failed, qPrintable(error.message));
    QCOMPARE(failed->nextAttemptAt, t0.addSecs(600));
    // "new" waits out its retry time; "old" is held meanwhile.
    QCOMPARE(store().claimNext({alice, workerB, t0, 1h, {}}, &error)->twitchVodId, u"old"_s);
    QVERIFY(!store().claimNext({alice, workerB, t0.addSecs(599), 2min, {}}, &error));
    const VodRecord again = claim(workerB, t0.addSecs(600));
    QCOMPARE(again.twitchVodId, u"new"_s);
    QVERIFY(!again.nextAttemptAt.isValid());

    QVERIFY(!store().claimNext({alice, QString(), t0, 2min, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
}

void TestVodStore::claimResumesTheUploadStage()
{
    seed({vod(u"v1"_s, day(1))});
    StoreError error;
    const VodRecord claimed = claim(workerA);
    QVERIFY(store().markDownloaded(claimed.id, workerA, u"/media/v1.mp4"_s, 4096, &error));
    QVERIFY(store().transition(
            claimed.id, {VodState::Downloaded, VodState::Uploading, u"upload"_s, workerA, {}},
            &error));
    QVERIFY(store().saveUploadSession(claimed.id, workerA, u"http://yt/upload?id=s1"_s, 8192,
                                      &error));
    // The node crashes mid-upload: the next claim goes straight to the upload stage, with the
    // session to resume.
    const VodRecord resumed = claim(workerB, t0.addSecs(121));
    QCOMPARE(resumed.id, claimed.id);
    QCOMPARE(resumed.state, VodState::Downloaded);
    QCOMPARE(resumed.uploadSessionUri, u"http://yt/upload?id=s1"_s);
    QCOMPARE(resumed.uploadOffset, 8192);
    QCOMPARE(resumed.downloadedPath, u"/media/v1.mp4"_s);
    QVERIFY(resumed.downloadComplete());

    // An upload failure keeps file and session; the retry is an upload again.
    QVERIFY(store().transition(
            resumed.id, {VodState::Downloaded, VodState::Uploading, u"upload"_s, workerB, {}},
            &error));
    const VodRecord failed = *store().recordUploadFailure(
            resumed.id, workerB, {u"503"_s, false}, retry, t0.addSecs(130), &error);
    QCOMPARE(failed.state, VodState::FailedRetry);
    QCOMPARE(claim(workerA, t0.addSecs(730)).state, VodState::Downloaded);
}

void TestVodStore::concurrentClaimsNeverShareARow()
{
    constexpr int rows = 40;
    QList<DiscoveredVod> vods;
    for (int n = 0; n < rows; ++n)
        vods.append(vod(u"c%1"_s.arg(n), day(0).addSecs(n)));
    seed(vods);

    // Each thread claims through its own connection until the queue is empty.
    QMutex mutex;
    QList<qint64> claimed;
    QStringList failures;
    Database &database = m_testDb->database();
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back(QThread::create([&, t] {
            const VodStore own(database);
            const QString owner = u"racer-%1"_s.arg(t);
            for (;;) {
                StoreError error;
                const std::optional<VodRecord> row = own.claimNext({alice, owner, t0, 2min, {}},
                                                                   &error);
                QMutexLocker locker(&mutex);
                if (!row) {
                    if (error.kind != StoreError::Kind::NotFound)
                        failures << error.message;
                    return;
                }
                claimed << row->id;
            }
        }));
    }
    for (const auto &thread : threads)
        thread->start();
    for (const auto &thread : threads)
        QVERIFY(thread->wait(30000));
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    QCOMPARE(claimed.size(), rows);
    QCOMPARE(QSet<qint64>(claimed.cbegin(), claimed.cend()).size(), rows);
}

void TestVodStore::transitionsFollowTheTable()
{
    seed({vod(u"v1"_s, day(1))});
    StoreError error;
    const qint64 id = get(u"v1"_s).id;
    QVERIFY(!store().transition(id, {VodState::Queued, VodState::Done, u"x"_s, {}, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY(!store().transition(
            id, {VodState::FailedTerminal, VodState::Downloading, u"x"_s, {}, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QCOMPARE(get(u"v1"_s).state, VodState::Queued);

    const VodRecord claimed = claim(workerA);
    // Allowed by the table, but the row is not in the expected state or lease.
    QVERIFY(!store().transition(id, {VodState::Downloaded, VodState::Uploading, u"x"_s, workerA,
                                     {}},
                                &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!store().markDownloaded(claimed.id, workerB, u"/media/v1"_s, 1, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!store().recordDownloadFailure(claimed.id, QString(), {u"x"_s, false}, retry, t0,
                                           &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QCOMPARE(get(u"v1"_s).state, VodState::Downloading);

    // Every claim edge the store may take is in the table.
    for (const VodState state : allVodStates()) {
        if (!isPending(state))
            continue;
        QVERIFY(VodTransitions::isAllowed(state, VodState::Downloading));
        QVERIFY(VodTransitions::isAllowed(state, VodState::Downloaded));
    }
}

void TestVodStore::transitionsWriteAuditRows()
{
    seed({vod(u"v1"_s, day(1))});
    const VodRecord done = finish(u"v1"_s);
    QCOMPARE(done.state, VodState::Done);
    StoreError error;
    const QList<VodTransitionRecord> history = *store().history(u"v1"_s, &error);
    const QList<QPair<VodState, VodState>> expected{{VodState::Queued, VodState::Downloading},
                                                    {VodState::Downloading, VodState::Downloaded},
                                                    {VodState::Downloaded, VodState::Uploading},
                                                    {VodState::Uploading, VodState::Done}};
    QCOMPARE(history.size(), expected.size());
    for (qsizetype n = 0; n < history.size(); ++n) {
        QCOMPARE(qMakePair(history.at(n).from, history.at(n).to), expected.at(n));
        QCOMPARE(history.at(n).actor, workerA);
        QCOMPARE(history.at(n).twitchVodId, u"v1"_s);
        QCOMPARE(history.at(n).channel, alice);
        QVERIFY(history.at(n).changedAt.isValid());
        QVERIFY(n == 0 || history.at(n).id > history.at(n - 1).id);
    }
    QCOMPARE(history.at(3).reason, u"uploaded"_s);
    // Leases end with the work: done is not active.
    QVERIFY(done.leaseOwner.isEmpty());
    QVERIFY(!done.leaseExpiresAt.isValid());
}

void TestVodStore::failuresBackOffThenTurnTerminal()
{
    seed({vod(u"v1"_s, day(1)), vod(u"v77"_s, day(2))});
    StoreError error;
    QDateTime now = t0;
    const qint64 id = get(u"v1"_s).id;
    const QList<int> waits{600, 1200};
    for (int attempt = 1; attempt <= 3; ++attempt) {
        QCOMPARE(claim(workerA, now).id, id);
        const VodRecord failed = *store().recordDownloadFailure(
                id, workerA, {u"ERROR: HTTP Error 500"_s, false}, retry, now, &error);
        QCOMPARE(failed.downloadAttempts, attempt);
        QCOMPARE(failed.uploadAttempts, 0);
        QCOMPARE(failed.processingError, u"ERROR: HTTP Error 500"_s);
        QVERIFY(failed.leaseOwner.isEmpty());
        if (attempt < 3) {
            QCOMPARE(failed.state, VodState::FailedRetry);
            QCOMPARE(failed.nextAttemptAt, now.addSecs(waits.at(attempt - 1)));
            now = failed.nextAttemptAt;
        } else {
            QCOMPARE(failed.state, VodState::FailedTerminal);
            QVERIFY(!failed.nextAttemptAt.isValid());
        }
    }
    // Auth-required is terminal at once, and never selected again.
    const VodRecord v77 = claim(workerA, now);
    QCOMPARE(v77.twitchVodId, u"v77"_s);
    const VodRecord terminal = *store().recordDownloadFailure(
            v77.id, workerA, {u"auth-required: subscriber-only"_s, true}, retry, now, &error);
    QCOMPARE(terminal.state, VodState::FailedTerminal);
    QCOMPARE(terminal.downloadAttempts, 1);
    QVERIFY(!store().claimNext({alice, workerA, now.addDays(30), 2min, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QCOMPARE(CycleRetryPolicy({9, 10min, 1h}).delayAfter(5), 1h);
}

void TestVodStore::cancelIsItsOwnOutcome()
{
    seed({vod(u"q1"_s, day(1)), vod(u"r1"_s, day(0))});
    StoreError error;
    const std::optional<CancelResult> queued = store().cancel(u"q1"_s, &error);
    QVERIFY2(queued, qPrintable(error.message));
    QVERIFY(queued->changed);
    QVERIFY(!queued->wasRunning());
    QCOMPARE(queued->vod.state, VodState::Canceled);
    const std::optional<CancelResult> twice = store().cancel(u"q1"_s, &error);
    QVERIFY(twice && !twice->changed);
    QCOMPARE(twice->previous, VodState::Canceled);
    QVERIFY(!store().cancel(u"nope"_s, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);

    const VodRecord running = claim(workerA);
    QCOMPARE(running.twitchVodId, u"r1"_s);
    QVERIFY(store().writeProgress(running.id, workerA, 300, 1000, t0, &error));
    const CancelResult stopped = *store().cancel(u"r1"_s, &error);
    QVERIFY(stopped.wasRunning());
    QCOMPARE(stopped.vod.state, VodState::Canceled);
    QCOMPARE(stopped.vod.downloadState, u"canceled"_s);
    QCOMPARE(stopped.vod.downloadAttempts, 0);
    QVERIFY(stopped.vod.processingError.isEmpty());
    // The worker notices at its next renewal and hands the lease back.
    QVERIFY(!store().renewLease(running.id, workerA, t0.addSecs(30), 2min, &error));
    QCOMPARE(stopped.vod.leaseOwner, workerA);
    const VodRecord released = *store().release(running.id, workerA, u"canceled"_s, &error);
    QCOMPARE(released.state, VodState::Canceled);
    QVERIFY(released.leaseOwner.isEmpty());
    // Canceled rows are never claimed, however late.
    QVERIFY(!store().claimNext({alice, workerB, t0.addDays(1), 2min, {}}, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);

    const VodRecord requeued = *store().reprocess(u"r1"_s, &error);
    QCOMPARE(requeued.state, VodState::Queued);
    QCOMPARE(claim(workerB, t0.addSecs(60)).twitchVodId, u"r1"_s);
}

void TestVodStore::reprocessRequeues()
{
    seed({vod(u"v1"_s, day(1)), vod(u"v2"_s, day(2))});
    StoreError error;
    finish(u"v1"_s);
    const VodRecord again = *store().reprocess(u"v1"_s, &error);
    QCOMPARE(again.state, VodState::Queued);
    QVERIFY(!again.processed);
    QVERIFY(again.youtubeUrl.isEmpty());
    QVERIFY(again.downloadState.isEmpty());
    QVERIFY(again.uploadedAt.isValid()); // still counts for the day's cap

    const VodRecord running = claim(workerA);
    QVERIFY(!store().reprocess(running.twitchVodId, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QCOMPARE(get(running.twitchVodId).state, VodState::Downloading);
    QVERIFY(!store().reprocess(u"nope"_s, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
}

void TestVodStore::runbookSqlWorksAsWritten()
{
    seed({vod(u"v1"_s, day(1)), vod(u"v2"_s, day(2)), vod(u"v3"_s, day(3))});
    StoreError error;
    finish(u"v1"_s);
    const qint64 v2 = claim(workerA).id;
    for (int n = 0; n < 3; ++n) {
        store().recordDownloadFailure(v2, workerA, {u"boom"_s, false}, retry, t0, &error);
        if (n < 2)
            claim(workerA, t0.addDays(1));
    }
    QCOMPARE(get(u"v2"_s).state, VodState::FailedTerminal);

    // Troubleshooting checklist, step 3, verbatim.
    QSqlQuery pending(m_testDb->database().connection());
    QVERIFY(pending.exec(
            u"SELECT twitch_vod_id, processed, processing_error FROM vods ORDER BY date;"_s));
    QStringList rows;
    while (pending.next()) {
        rows << u"%1 %2 %3"_s.arg(pending.value(0).toString(), pending.value(1).toString(),
                                  pending.value(2).toString());
    }
    QCOMPARE(rows, (QStringList{u"v1 1 "_s, u"v2 0 boom"_s, u"v3 0 "_s}));

    // Data Management: "To reset processing state", verbatim but for the id.
    for (const QString &id : {u"v1"_s, u"v2"_s}) {
        QCOMPARE(exec(u"UPDATE vods SET processed=0, processing_error=NULL, youtube_url=NULL "
                      "WHERE twitch_vod_id='%1'"_s.arg(id)),
                 1);
        const VodRecord reset = get(id);
        QCOMPARE(reset.state, VodState::Queued);
        QVERIFY(!reset.processed);
        QCOMPARE(reset.downloadAttempts, 0);
        QCOMPARE(reset.uploadAttempts, 0);
        QVERIFY(!reset.nextAttemptAt.isValid());
        QVERIFY(reset.processingError.isEmpty());
        QVERIFY(reset.youtubeUrl.isEmpty());
        const QList<VodTransitionRecord> history = *store().history(id, &error);
        QCOMPARE(history.last().to, VodState::Queued);
        QCOMPARE(history.last().actor, u"sql"_s);
    }
    QCOMPARE(claim(workerB, t0.addSecs(1)).twitchVodId, u"v1"_s);
    // On a row that is already queued it only starts the counters afresh: no audit row.
    const qsizetype audits = store().history(u"v3"_s, &error)->size();
    exec(u"UPDATE vods SET processed=0, processing_error=NULL, youtube_url=NULL "
         "WHERE twitch_vod_id='v3'"_s);
    QCOMPARE(get(u"v3"_s).state, VodState::Queued);
    QCOMPARE(store().history(u"v3"_s, &error)->size(), audits);
}

void TestVodStore::processedMatchesStateExactly()
{
    seed({vod(u"v1"_s, day(1)), vod(u"v2"_s, day(2))});
    StoreError error;
    VodRecord v1 = claim(workerA);
    QVERIFY(!v1.processed);
    v1 = *store().markDownloaded(v1.id, workerA, u"/media/v1"_s, 10, &error);
    QVERIFY(!v1.processed);
    v1 = *store().transition(v1.id, {VodState::Downloaded, VodState::DoneNoUpload,
                                     u"skip_upload is set"_s, workerA, {}},
                             &error);
    QVERIFY(v1.processed);
    QVERIFY(v1.leaseOwner.isEmpty());
    QCOMPARE(finish(u"v2"_s).processed, true);
    // processed=1 by hand finishes a row too, keeping the column and the state in step.
    seed({vod(u"v3"_s, day(3))});
    exec(u"UPDATE vods SET processed=1 WHERE twitch_vod_id='v3'"_s);
    QCOMPARE(get(u"v3"_s).state, VodState::DoneNoUpload);
    QSqlQuery query(m_testDb->database().connection());
    QVERIFY(query.exec(u"SELECT COUNT(*) FROM vods WHERE processed <> CASE WHEN state IN "
                       "('done', 'done_no_upload') THEN 1 ELSE 0 END"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 0);
}

void TestVodStore::uploadCapsCountUploadedAt()
{
    seed({vod(u"old"_s, day(1)), vod(u"new"_s, day(29))});
    StoreError error;
    finish(u"old"_s, t0);
    finish(u"new"_s, t0.addSecs(3600));
    QCOMPARE(store().uploadsSince(alice, t0.addSecs(-86400), {}, &error), 2);
    QCOMPARE(store().uploadsSince(alice, t0.addSecs(1), {}, &error), 1);
    QCOMPARE(store().uploadsSince(alice, t0.addSecs(-86400), day(23), &error), 1);
    QCOMPARE(store().uploadsSince(u"bob"_s, t0.addSecs(-86400), {}, &error), 0);
    // Edits touch updated_at (and retention its path) but never the caps.
    store().setPriority(u"old"_s, 5, &error);
    store().setDescription(u"old"_s, u"edited"_s, &error);
    store().clearDownloadedPath(get(u"old"_s).id, u"/media/old"_s, &error);
    QCOMPARE(store().uploadsSince(alice, t0.addSecs(1), {}, &error), 1);
    QCOMPARE(get(u"old"_s).uploadedAt, t0);
    QVERIFY(get(u"old"_s).downloadedPath.isEmpty());
}

void TestVodStore::countsPerChannel()
{
    seed({vod(u"a1"_s, day(1)), vod(u"a2"_s, day(2)), vod(u"a3"_s, day(3)), vod(u"a4"_s, day(4)),
          vod(u"a5"_s, day(5))});
    seed({vod(u"b1"_s, day(0))}, u"bob"_s);
    StoreError error;
    store().setPriority(u"a4"_s, 5, &error);
    finish(u"a4"_s);
    store().setPriority(u"a5"_s, 3, &error);
    const VodRecord failing = claim(workerA);
    QCOMPARE(failing.twitchVodId, u"a5"_s);
    store().recordDownloadFailure(failing.id, workerA, {u"x"_s, true}, retry, t0, &error);
    store().cancel(u"a3"_s, &error);
    claim(workerA); // a1: downloading

    const VodCounts counts = *store().counts(alice, &error);
    QCOMPARE(counts.pending, 2); // a1 downloading, a2 queued
    QCOMPARE(counts.errored, 1);
    QCOMPARE(counts.processed, 1);
    QCOMPARE(counts.count(VodState::Canceled), 1);
    QCOMPARE(counts.count(VodState::Downloading), 1);
    QCOMPARE(counts.pendingByPriority, (QList<QPair<int, qint64>>{{0, 2}}));
    QCOMPARE(counts.oldestPendingId, u"a1"_s);
    QCOMPARE(counts.oldestPendingDate, day(1));
    store().setPriority(u"a2"_s, 7, &error);
    QCOMPARE(store().counts(alice, &error)->pendingByPriority,
             (QList<QPair<int, qint64>>{{7, 1}, {0, 1}}));
    const VodCounts bob = *store().counts(u"bob"_s, &error);
    QCOMPARE(bob.pending, 1);
    QCOMPARE(bob.oldestPendingId, u"b1"_s);
    QCOMPARE(store().counts(u"carol"_s, &error)->pending, 0);
}

void TestVodStore::listNewestFirst()
{
    seed({vod(u"a1"_s, day(1)), vod(u"a2"_s, day(2)), vod(u"a3"_s, day(3))});
    seed({vod(u"b1"_s, day(4))}, u"bob"_s);
    StoreError error;
    const auto ids = [](const QList<VodRecord> &rows) {
        QStringList out;
        for (const VodRecord &row : rows)
            out << row.twitchVodId;
        return out;
    };
    QCOMPARE(ids(*store().list({}, &error)), (QStringList{u"b1"_s, u"a3"_s, u"a2"_s, u"a1"_s}));
    QCOMPARE(ids(*store().list({alice, 2, 0}, &error)), (QStringList{u"a3"_s, u"a2"_s}));
    QCOMPARE(ids(*store().list({alice, 2, 2}, &error)), (QStringList{u"a1"_s}));
    QVERIFY(!store().list({alice, -1, 0}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
}

void TestVodStore::progressAndUploadSession()
{
    seed({vod(u"v1"_s, day(1))});
    StoreError error;
    const VodRecord claimed = claim(workerA);
    QVERIFY(store().writeProgress(claimed.id, workerA, 4194304, 8388608, t0.addSecs(3), &error));
    VodRecord row = get(u"v1"_s);
    QCOMPARE(row.downloadBytes, 4194304);
    QCOMPARE(row.downloadTotal, 8388608);
    QCOMPARE(row.downloadState, u"downloading"_s);
    QCOMPARE(row.progressUpdatedAt, t0.addSecs(3));
    row = *store().markDownloaded(claimed.id, workerA, u"/media/v1.mp4"_s, 8388608, &error);
    QCOMPARE(row.downloadState, u"complete"_s);
    QCOMPARE(row.downloadBytes, 8388608);
    QCOMPARE(row.downloadTotal, 8388608);
    // Progress is only written while downloading.
    QVERIFY(!store().writeProgress(claimed.id, workerA, 1, 2, t0, &error));
    QVERIFY(!store().saveUploadSession(claimed.id, workerA, u"http://yt/s"_s, 0, &error));
    store().transition(claimed.id,
                       {VodState::Downloaded, VodState::Uploading, u"upload"_s, workerA, {}},
                       &error);
    QVERIFY(store().saveUploadSession(claimed.id, workerA, u"http://yt/s"_s, 16777216, &error));
    QCOMPARE(get(u"v1"_s).uploadOffset, 16777216);
    QVERIFY(store().saveUploadSession(claimed.id, workerA, QString(), 123, &error));
    row = get(u"v1"_s);
    QVERIFY(row.uploadSessionUri.isEmpty());
    QCOMPARE(row.uploadOffset, 0);
    QVERIFY(store().saveUploadSession(claimed.id, workerA, u"http://yt/s2"_s, 5, &error));
    row = *store().markUploaded(claimed.id, workerA, u"https://www.youtube.com/watch?v=x"_s,
                                t0.addSecs(9), &error);
    QVERIFY(row.uploadSessionUri.isEmpty());
    QCOMPARE(row.uploadedAt, t0.addSecs(9));
    QCOMPARE(row.youtubeUrl, u"https://www.youtube.com/watch?v=x"_s);
}

void TestVodStore::operatorEdits()
{
    seed({vod(u"v1"_s, day(1))});
    StoreError error;
    QCOMPARE(store().setPriority(u"v1"_s, -3, &error)->priority, -3);
    QVERIFY(store().setSkipUpload(u"v1"_s, true, &error)->skipUpload);
    QVERIFY(!store().setSkipUpload(u"v1"_s, false, &error)->skipUpload);
    QCOMPARE(store().setDescription(u"v1"_s, u"Finals, lap 1 to 60"_s, &error)->description,
             u"Finals, lap 1 to 60"_s);
    QVERIFY(store().setDescription(u"v1"_s, QString(), &error)->description.isEmpty());
    QVERIFY(!store().setPriority(u"nope"_s, 1, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    // Edits are not state changes: no audit rows.
    QVERIFY(store().history(u"v1"_s, &error)->isEmpty());
}

QTEST_GUILESS_MAIN(TestVodStore)
#include "vodstore.moc"
