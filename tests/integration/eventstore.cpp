#include "core/db/database.h"
#include "core/db/databasesettings.h"
#include "core/db/migrationrunner.h"
#include "core/db/sqlscript.h"
#include "relay/cursorstore.h"
#include "relay/eventstore.h"
#include "relay/exportwriter.h"
#include "testdatabase.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QUuid>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString forwarder = u"fwd-2cb60cb5ec9935be"_s;
const QString reader = u"192.168.50.1:10000"_s;

IngestEvent read(qint64 epoch, qint64 seq, const QByteArray &frame,
                 std::optional<QString> tag = {})
{
    return {epoch, seq, u"2026-02-17T10:00:00.000Z"_s, frame, u"RAW"_s, std::move(tag)};
}

// frames(n) of the acceptance scenarios: seq first..last with raw_frame LINE_<seq>.
QList<IngestEvent> frames(qint64 epoch, qint64 first, qint64 last)
{
    QList<IngestEvent> events;
    for (qint64 seq = first; seq <= last; ++seq)
        events.append(read(epoch, seq, "LINE_" + QByteArray::number(seq)));
    return events;
}

qint64 scalar(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        qFatal("query failed: %s", qPrintable(sql));
    return query.value(0).toLongLong();
}

void checkInvariant(const StreamMetrics &metrics)
{
    QCOMPARE(metrics.rawCount, metrics.dedupCount + metrics.retransmitCount);
    QCOMPARE(metrics.epochRawCount, metrics.epochDedupCount + metrics.epochRetransmitCount);
}

} // namespace

class TestEventStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void ensureStreamOnce();
    void scenario13Exports();
    void exportFiltersEpochAndEmptyStream();
    void exportNonUtf8Lossy();
    void newRetransmitConflict();
    void duplicateKeysInOneBatch();
    void batchIsAtomic();
    void epochCounters();
    void cursorsMonotonic();
    void eventsAfterPaging();
    void badInput();
    void unreachableDatabase();
    void runbookRetentionDelete();
    void anyTextAndBytesStored();

private:
    StreamRecord stream();
    QByteArray exportBytes(ExportWriter::Format format, std::optional<qint64> epoch = {});
    IngestResult ingest(const QList<IngestEvent> &events);
    StreamMetrics metrics();

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<EventStore> m_store;
    QString m_streamId;
};

void TestEventStore::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_store = std::make_unique<EventStore>(m_testDb->database());
    m_streamId = stream().streamId;
}

void TestEventStore::cleanup()
{
    m_store.reset();
    m_testDb.reset();
}

StreamRecord TestEventStore::stream()
{
    StoreError error;
    const std::optional<StreamRecord> ref = m_store->ensureStream(forwarder, reader, &error);
    if (!ref)
        qFatal("ensureStream: %s", qPrintable(error.message));
    return *ref;
}

IngestResult TestEventStore::ingest(const QList<IngestEvent> &events)
{
    StoreError error;
    const std::optional<IngestResult> result = m_store->ingest(m_streamId, events, &error);
    if (!result)
        qFatal("ingest: %s", qPrintable(error.message));
    return *result;
}

StreamMetrics TestEventStore::metrics()
{
    StoreError error;
    const std::optional<StreamMetrics> metrics = m_store->metrics(m_streamId, &error);
    if (!metrics)
        qFatal("metrics: %s", qPrintable(error.message));
    return *metrics;
}

QByteArray TestEventStore::exportBytes(ExportWriter::Format format, std::optional<qint64> epoch)
{
    const ExportWriter writer(format);
    QByteArray out = writer.header();
    StoreError error;
    int chunks = 0;
    const bool ok = m_store->exportRows(
            m_streamId, epoch,
            [&](const QList<StoredEvent> &rows) {
                ++chunks;
                if (rows.size() > 2)
                    qFatal("chunk of %lld rows exceeds the chunk size", qlonglong(rows.size()));
                out += writer.rows(rows);
                return true;
            },
            &error, 2);
    if (!ok)
        qFatal("export: %s", qPrintable(error.message));
    return out;
}

void TestEventStore::ensureStreamOnce()
{
    const StreamRecord again = stream();
    QCOMPARE(again.streamId, m_streamId);
    QVERIFY(!again.created);
    QCOMPARE(again.streamEpoch, 1);
    QVERIFY(!again.pendingEpoch);
    QVERIFY(!QUuid::fromString(m_streamId).isNull());
    StoreError error;
    const std::optional<StreamRecord> other = m_store->ensureStream(forwarder, u"10.0.0.2"_s, &error);
    QVERIFY(other && other->created);
    QVERIFY(other->streamId != m_streamId);
}

void TestEventStore::scenario13Exports()
{
    QFile file(QStringLiteral(PITWALL_SOURCE_DIR "/tests/data/relay/export_reads.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    // Scenario 13: the 5 lines, each followed by LF (the file's last line has none).
    const QByteArray expectedText = lines.join('\n') + '\n';
    QList<IngestEvent> events;
    for (const QByteArray &line : lines) {
        // research §7: YYMMDDhhmmss at [20,32), hundredths in hex at [32,34), tag at [4,16).
        const QByteArray d = line.mid(20, 12);
        const int ms = line.mid(32, 2).toInt(nullptr, 16) * 10;
        const QString timestamp = u"20%1-%2-%3T%4:%5:%6.%7"_s
                                          .arg(QLatin1String(d.mid(0, 2)), QLatin1String(d.mid(2, 2)),
                                               QLatin1String(d.mid(4, 2)), QLatin1String(d.mid(6, 2)),
                                               QLatin1String(d.mid(8, 2)), QLatin1String(d.mid(10, 2)))
                                          .arg(ms, 3, 10, QLatin1Char('0'));
        // Stored as the forwarder journals it: with the reader's CRLF.
        events.append({1, events.size() + 1, timestamp, line + "\r\n", u"RAW"_s,
                       QString::fromLatin1(line.mid(4, 12))});
    }
    QCOMPARE(ingest(events).inserted, 5);

    QCOMPARE(exportBytes(ExportWriter::Format::Text), expectedText);
    QCOMPARE(exportBytes(ExportWriter::Format::Csv),
             QByteArray("stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n"
                        "1,1,2001-12-30T18:45:00.000,aa400000000123450a2a0112301845000090,RAW,000000012345\n"
                        "1,2,2001-12-30T18:45:10.100,aa400000000123450a2a0112301845100ac2,RAW,000000012345\n"
                        "1,3,2001-12-30T18:45:20.250,aa400000000123450a2a011230184520199c,RAW,000000012345\n"
                        "1,4,2001-12-30T18:45:30.500,aa400000000123450a2a0112301845303298,RAW,000000012345\n"
                        "1,5,2001-12-30T18:45:40.990,aa400000000123450a2a011230184540639d,RAW,000000012345\n"));
    QCOMPARE(exportBytes(ExportWriter::Format::Text, 1), expectedText);
}

void TestEventStore::exportFiltersEpochAndEmptyStream()
{
    QCOMPARE(exportBytes(ExportWriter::Format::Text), QByteArray());
    QCOMPARE(exportBytes(ExportWriter::Format::Csv),
             QByteArray("stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n"));

    ingest({read(1, 1, "ONE"), read(2, 1, "CSV,WITH,COMMAS\r\n"), read(2, 2, "garbage")});
    QCOMPARE(exportBytes(ExportWriter::Format::Text, 2), QByteArray("CSV,WITH,COMMAS\ngarbage\n"));
    QCOMPARE(exportBytes(ExportWriter::Format::Text), QByteArray("ONE\nCSV,WITH,COMMAS\ngarbage\n"));
    QCOMPARE(exportBytes(ExportWriter::Format::Csv, 2),
             QByteArray("stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n"
                        "2,1,2026-02-17T10:00:00.000Z,\"CSV,WITH,COMMAS\",RAW,\n"
                        "2,2,2026-02-17T10:00:00.000Z,garbage,RAW,\n"));
    QCOMPARE(exportBytes(ExportWriter::Format::Csv, 3),
             QByteArray("stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n"));

    StoreError error;
    QVERIFY(!m_store->exportRows(QUuid::createUuid().toString(), {},
                                 [](const QList<StoredEvent> &) { return true; }, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
}

void TestEventStore::exportNonUtf8Lossy()
{
    ingest({read(1, 1, QByteArray("caf\xE9 \xFF\xFE ok\r\n"))});
    QCOMPARE(exportBytes(ExportWriter::Format::Text),
             QByteArray("caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok\n"));
    // The stored bytes stay exactly as received.
    StoreError error;
    const auto events = m_store->eventsAfter(m_streamId, 1, 0, &error);
    QVERIFY(events);
    QCOMPARE(events->value(0).rawFrame, QByteArray("caf\xE9 \xFF\xFE ok\r\n"));
}

void TestEventStore::newRetransmitConflict()
{
    IngestResult result = ingest({read(1, 1, "ORIGINAL_LINE", u"000000012345"_s)});
    QCOMPARE(result.inserted, 1);
    QCOMPARE(result.acks, (QList<EventKey>{{1, 1}}));

    result = ingest({read(1, 1, "ORIGINAL_LINE", u"000000012345"_s)});
    QCOMPARE(result.inserted, 0);
    QCOMPARE(result.retransmits, 1);
    QCOMPARE(result.acks, (QList<EventKey>{{1, 1}}));

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^INTEGRITY_CONFLICT: integrity conflict: "_s + forwarder
                                            + u"/192\\.168\\.50\\.1:10000 epoch=1 seq=1 "_s));
    result = ingest({read(1, 1, "DIFFERENT_LINE"), read(1, 2, "LINE_2")});
    QCOMPARE(result.inserted, 1);
    QCOMPARE(result.retransmits, 0);
    QCOMPARE(result.conflicts, (QList<EventKey>{{1, 1}}));
    QCOMPARE(result.acks, (QList<EventKey>{{1, 2}}));

    StoreError error;
    const auto events = m_store->eventsAfter(m_streamId, 1, 0, &error);
    QVERIFY(events);
    QCOMPARE(events->size(), 2);
    QCOMPARE(events->at(0).rawFrame, QByteArray("ORIGINAL_LINE"));
    QCOMPARE(events->at(0).tagId, u"000000012345"_s);
    QVERIFY(events->at(0).receivedAt.isValid());

    QSqlDatabase db = m_testDb->database().connection();
    QSqlQuery query(db);
    QVERIFY(query.exec(u"SELECT stream_epoch, seq, raw_frame FROM event_conflicts"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toLongLong(), 1);
    QCOMPARE(query.value(1).toLongLong(), 1);
    QCOMPARE(query.value(2).toByteArray(), QByteArray("DIFFERENT_LINE"));
    QVERIFY(!query.next());

    const StreamMetrics m = metrics();
    QCOMPARE(m.rawCount, 3);
    QCOMPARE(m.dedupCount, 2);
    QCOMPARE(m.retransmitCount, 1);
    QCOMPARE(m.conflictCount, 1);
    QCOMPARE(m.epochConflictCount, 1);
    QCOMPARE(m.epochRawCount, 3);
    QVERIFY(m.lagMs && *m.lagMs >= 0 && *m.lagMs < 60000);
    QCOMPARE(m.uniqueChips, 1);
    QCOMPARE(m.lastTagId, std::nullopt);
    QCOMPARE(m.lastReaderTimestamp, u"2026-02-17T10:00:00.000Z"_s);
    checkInvariant(m);
}

void TestEventStore::duplicateKeysInOneBatch()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^INTEGRITY_CONFLICT: .* seq=2 "_s));
    const IngestResult result = ingest({read(1, 2, "B"), read(1, 1, "A"), read(1, 2, "B"),
                                        read(1, 2, "X")});
    QCOMPARE(result.inserted, 2);
    QCOMPARE(result.retransmits, 1);
    QCOMPARE(result.conflicts, (QList<EventKey>{{1, 2}}));
    QCOMPARE(result.acks, (QList<EventKey>{{1, 2}}));
    const StreamMetrics m = metrics();
    QCOMPARE(m.rawCount, 3);
    checkInvariant(m);
}

void TestEventStore::batchIsAtomic()
{
    ingest(frames(1, 1, 3));
    const StreamMetrics before = metrics();
    // The conflict row is written after the batch's events: without its table the batch fails
    // half-way and must leave nothing behind.
    QSqlDatabase db = m_testDb->database().connection();
    QSqlQuery drop(db);
    QVERIFY(drop.exec(u"DROP TABLE event_conflicts"_s));
    QList<IngestEvent> batch = frames(1, 4, 10);
    batch.append(read(1, 1, "CONFLICTING"));
    StoreError error;
    QVERIFY(!m_store->ingest(m_streamId, batch, &error));
    QCOMPARE(error.kind, StoreError::Kind::Failed);
    QVERIFY2(error.message.contains(u"event_conflicts"_s), qPrintable(error.message));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM events"_s), 3);
    const StreamMetrics after = metrics();
    QCOMPARE(after.rawCount, before.rawCount);
    QCOMPARE(after.dedupCount, before.dedupCount);
    // The connection is usable again afterwards.
    QCOMPARE(ingest(frames(1, 4, 5)).inserted, 2);
}

void TestEventStore::epochCounters()
{
    ingest(frames(1, 1, 10));
    StoreError error;
    QCOMPARE(m_store->requestEpochReset(m_streamId, &error), 2);
    // Requested again before the forwarder moved: still the same target.
    QCOMPARE(m_store->requestEpochReset(m_streamId, &error), 2);
    QCOMPARE(metrics().pendingEpoch, 2);
    QCOMPARE(metrics().streamEpoch, 1);
    QCOMPARE(stream().pendingEpoch, 2);
    QVERIFY(!m_store->requestEpochReset(QUuid::createUuid().toString(), &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);

    IngestResult result = ingest({read(2, 1, "NEW", u"058003700001"_s)});
    QVERIFY(result.epochAdvanced);
    QCOMPARE(result.streamEpoch, 2);
    StreamMetrics m = metrics();
    QCOMPARE(m.streamEpoch, 2);
    QVERIFY(!m.pendingEpoch);
    QCOMPARE(m.epochRawCount, 1);
    QCOMPARE(m.epochDedupCount, 1);
    QCOMPARE(m.rawCount, 11);
    QCOMPARE(m.lastTagId, u"058003700001"_s);
    QVERIFY(m.epochLagMs);
    QCOMPARE(stream().streamEpoch, 2);

    // A late event of epoch 1 only moves the lifetime counters.
    result = ingest({read(1, 11, "LATE"), read(2, 1, "NEW", u"058003700001"_s)});
    QVERIFY(!result.epochAdvanced);
    QCOMPARE(result.acks, (QList<EventKey>{{1, 11}, {2, 1}}));
    m = metrics();
    QCOMPARE(m.rawCount, 13);
    QCOMPARE(m.dedupCount, 12);
    QCOMPARE(m.epochRawCount, 2);
    QCOMPARE(m.epochDedupCount, 1);
    QCOMPARE(m.epochRetransmitCount, 1);
    QCOMPARE(m.lastTagId, u"058003700001"_s);
    QCOMPARE(m.uniqueChips, 1);
    checkInvariant(m);

    // A batch that jumps two epochs counts only its events of the newest one.
    ingest({read(3, 1, "E3"), read(4, 1, "E4a"), read(4, 2, "E4b")});
    m = metrics();
    QCOMPARE(m.streamEpoch, 4);
    QCOMPARE(m.epochDedupCount, 2);
    QCOMPARE(m.lastTagId, std::nullopt);
    QCOMPARE(m.uniqueChips, 0);
    checkInvariant(m);
    QCOMPARE(m_store->requestEpochReset(m_streamId, &error), 5);
}

void TestEventStore::cursorsMonotonic()
{
    ingest(frames(1, 1, 10));
    const CursorStore cursors(m_testDb->database());
    StoreError error;
    QVERIFY(cursors.upsertCursor(u"rcv-1"_s, m_streamId, 1, 5, &error));
    QCOMPARE(metrics().backlog, 5);
    QVERIFY(cursors.upsertCursor(u"rcv-1"_s, m_streamId, 1, 3, &error));
    QVERIFY(cursors.upsertCursor(u"rcv-1"_s, m_streamId, 2, 1, &error));
    QVERIFY(cursors.upsertCursor(u"rcv-2"_s, m_streamId, 1, 10, &error));
    auto list = cursors.cursors(&error);
    QVERIFY(list);
    QCOMPARE(list->size(), 3);
    QCOMPARE(list->at(0).receiverId, u"rcv-1"_s);
    QCOMPARE(list->at(0).streamId, m_streamId);
    QCOMPARE(list->at(0).streamEpoch, 1);
    QCOMPARE(list->at(0).lastSeq, 5);
    QVERIFY(list->at(0).updatedAt.isValid());
    QCOMPARE(list->at(1).streamEpoch, 2);
    QCOMPARE(list->at(2).lastSeq, 10);
    // The slowest receiver of the current epoch decides the backlog.
    QCOMPARE(metrics().backlog, 5);

    QCOMPARE(cursors.deleteCursors(u"rcv-1"_s, m_streamId, &error), 2);
    QCOMPARE(metrics().backlog, 0);
    QCOMPARE(cursors.deleteCursors(u"rcv-2"_s, std::nullopt, &error), 1);
    QCOMPARE(cursors.cursors(&error)->size(), 0);
    QVERIFY(!cursors.upsertCursor(u"rcv-1"_s, u"nope"_s, 1, 1, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
}

void TestEventStore::eventsAfterPaging()
{
    ingest(frames(1, 1, 1200));
    ingest(frames(2, 1, 3));
    StoreError error;
    QList<qsizetype> sizes;
    qint64 after = 0;
    for (;;) {
        const auto page = m_store->eventsAfter(m_streamId, 1, after, &error);
        QVERIFY2(page, qPrintable(error.message));
        if (page->isEmpty())
            break;
        sizes << page->size();
        for (const StoredEvent &event : *page) {
            QCOMPARE(event.streamEpoch, 1);
            QCOMPARE(event.seq, ++after);
            QCOMPARE(event.rawFrame, "LINE_" + QByteArray::number(event.seq));
        }
    }
    QCOMPARE(sizes, (QList<qsizetype>{500, 500, 200}));
    QCOMPARE(m_store->eventsAfter(m_streamId, 2, 1, &error, 10)->size(), 2);
}

void TestEventStore::badInput()
{
    StoreError error;
    QVERIFY(!m_store->ingest(m_streamId, {read(1, 0, "ZERO")}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY2(error.message.contains(u"seq"_s), qPrintable(error.message));
    QVERIFY(!m_store->ingest(u"not-a-uuid"_s, frames(1, 1, 1), &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY(!m_store->ingest(QUuid::createUuid().toString(), frames(1, 1, 1), &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!m_store->metrics(QUuid::createUuid().toString(), &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QCOMPARE(ingest({}).acks, QList<EventKey>());
}

void TestEventStore::unreachableDatabase()
{
    // Nothing listens on port 1; a SQLite file below a regular file cannot be created.
    QFile blocker(m_testDb->scratchDir() + u"/blocker"_s);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    const QString url = m_testDb->dialect().isPostgres()
            ? u"postgres://pitwall@127.0.0.1:1/none?connect_timeout=2"_s
            : u"sqlite://"_s + blocker.fileName() + u"/relay.db"_s;
    QString parseError;
    const auto settings = DatabaseSettings::parse(url, m_testDb->scratchDir(), &parseError);
    QVERIFY2(settings, qPrintable(parseError));
    const Database down(*settings, u"unreachable"_s);
    const EventStore store(down);
    StoreError error;
    QVERIFY(!store.ensureStream(forwarder, reader, &error));
    QCOMPARE(error.kind, StoreError::Kind::Unavailable);
    QVERIFY(!store.ingest(m_streamId, frames(1, 1, 1), &error));
    QCOMPARE(error.kind, StoreError::Kind::Unavailable);
    QVERIFY(!store.metrics(m_streamId, &error));
    QCOMPARE(error.kind, StoreError::Kind::Unavailable);
}

void TestEventStore::runbookRetentionDelete()
{
    ingest(frames(1, 1, 5));
    ingest({read(1, 6, "TAGGED", u"058003700001"_s)});
    QCOMPARE(metrics().uniqueChips, 1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^INTEGRITY_CONFLICT"_s));
    ingest({read(1, 1, "OTHER")});
    StoreError error;
    QVERIFY(CursorStore(m_testDb->database()).upsertCursor(u"rcv-1"_s, m_streamId, 1, 2, &error));

    // Copied verbatim from seeds/relay-server-runbook.md, "Manual Retention Delete".
    QString block = uR"(-- Find the stream(s) to delete.
SELECT stream_id, forwarder_id, reader_ip, stream_epoch
FROM streams
WHERE forwarder_id = 'fwd-001' AND reader_ip = '192.168.1.100';

-- Delete events for a specific stream (DB-admin only).
-- Replace {stream_id} with the UUID from the above query.
BEGIN;

-- Delete receiver cursors for this stream first.
DELETE FROM receiver_cursors WHERE stream_id = '{stream_id}';

-- Delete stream metrics.
DELETE FROM stream_metrics WHERE stream_id = '{stream_id}';

-- Delete events.
DELETE FROM events WHERE stream_id = '{stream_id}';

-- Optionally delete the stream record itself.
-- Only do this if the forwarder will not reconnect to this stream.
-- DELETE FROM streams WHERE stream_id = '{stream_id}';

COMMIT;

-- Verify.
SELECT COUNT(*) FROM events WHERE stream_id = '{stream_id}';
)"_s;
    block.replace(u"{stream_id}"_s, m_streamId);
    QString splitError;
    const auto statements = SqlScript::split(block, &splitError);
    QVERIFY2(statements, qPrintable(splitError));
    QCOMPARE(statements->size(), 7);
    QSqlDatabase db = m_testDb->database().connection();
    QSqlQuery query(db);
    for (const SqlStatement &statement : *statements)
        QVERIFY2(query.exec(statement.sql), qPrintable(statement.sql));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toLongLong(), 0);
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM receiver_cursors"_s), 0);

    // The stream lives on: the forwarder's next batch recreates the metrics row, and the
    // chips it counts restart with it (the chip below was seen before the delete).
    QCOMPARE(ingest(frames(1, 1, 2)).inserted, 2);
    QCOMPARE(metrics().dedupCount, 2);
    QCOMPARE(ingest({read(1, 3, "TAGGED", u"058003700001"_s)}).inserted, 1);
    QCOMPARE(metrics().uniqueChips, 1);

    // And the optional stream delete works too (conflict rows go with the stream).
    QVERIFY(query.exec(u"DELETE FROM receiver_cursors WHERE stream_id = '%1'"_s.arg(m_streamId)));
    QVERIFY(query.exec(u"DELETE FROM stream_metrics WHERE stream_id = '%1'"_s.arg(m_streamId)));
    QVERIFY(query.exec(u"DELETE FROM events WHERE stream_id = '%1'"_s.arg(m_streamId)));
    QVERIFY(query.exec(u"DELETE FROM streams WHERE stream_id = '%1'"_s.arg(m_streamId)));
    QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM event_conflicts"_s), 0);
}

// PostgreSQL receives a batch as array literals: quotes, backslashes, braces, commas, the word
// NULL and every byte value must come back as sent.
void TestEventStore::anyTextAndBytesStored()
{
    QByteArray allBytes;
    for (int byte = 0; byte < 256; ++byte)
        allBytes.append(char(byte));
    const QString odd = u"a\"b\\c,{d} 'e' \u00e9"_s;
    QList<IngestEvent> batch{{1, 1, odd, allBytes, u"NULL"_s, u"\"tag\\1\""_s},
                             {1, 2, std::nullopt, "LINE", odd, u"NULL"_s},
                             {1, 3, u""_s, "X", u"RAW"_s, u"\"tag\\1\""_s}};
    QCOMPARE(ingest(batch).inserted, 3);
    StoreError error;
    const auto stored = m_store->eventsAfter(m_streamId, 1, 0, &error);
    QVERIFY2(stored, qPrintable(error.message));
    QCOMPARE(stored->size(), 3);
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const IngestEvent &sent = batch.at(i);
        const StoredEvent &got = stored->at(i);
        QCOMPARE(got.readerTimestamp, sent.readerTimestamp);
        QCOMPARE(got.rawFrame, sent.rawFrame);
        QCOMPARE(got.readType, sent.readType);
        QCOMPARE(got.tagId, sent.tagId);
    }
    // Two distinct chips; the word NULL is one of them.
    QCOMPARE(metrics().uniqueChips, 2);
}

QTEST_GUILESS_MAIN(TestEventStore)
#include "eventstore.moc"
