#include "core/db/migrationrunner.h"
#include "relay/cursorstore.h"
#include "relay/eventstore.h"
#include "relay/protocol/ipicoread.h"
#include "relay/streamroutes.h"
#include "relay/streamstore.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "rawhttpclient.h"
#include "testdatabase.h"
#include "unreachabledatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString forwarder = u"fwd-2cb60cb5ec9935be"_s;
const QString reader = u"192.168.50.1:10000"_s;
const QByteArray csvHeader = "stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n";
const QRegularExpression rfc3339Ms(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s);

// A read as the forwarder session stores it: chip id and timestamp from the IPICO line when it
// parses, a fixed timestamp and no chip id otherwise.
IngestEvent read(qint64 epoch, qint64 seq, const QByteArray &frame)
{
    const std::optional<IpicoRead> ipico = parseIpicoLine(frame);
    if (!ipico)
        return {epoch, seq, u"2026-02-17T10:00:00.000Z"_s, frame, u"RAW"_s, std::nullopt};
    return {epoch, seq, ipico->timestamp, frame, u"RAW"_s, ipico->tagId};
}

// frames(n) of the acceptance scenarios: seq first..last with raw_frame LINE_<seq>.
QList<IngestEvent> frames(qint64 epoch, qint64 first, qint64 last)
{
    QList<IngestEvent> events;
    for (qint64 seq = first; seq <= last; ++seq)
        events.append(read(epoch, seq, "LINE_" + QByteArray::number(seq)));
    return events;
}

QJsonObject envelope(const QString &code, const QString &message)
{
    return QJsonObject{{u"code"_s, code}, {u"message"_s, message}};
}

QJsonObject notFound()
{
    return envelope(u"NOT_FOUND"_s, u"stream not found"_s);
}

QJsonObject badRequest(const QString &message)
{
    return envelope(u"BAD_REQUEST"_s, message);
}

QString randomId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool isRecent(const QJsonValue &value)
{
    const QString text = value.toString();
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return rfc3339Ms.match(text).hasMatch()
        && qAbs(time.secsTo(QDateTime::currentDateTimeUtc())) < 120;
}

} // namespace

// The stream, export and receiver-cursor routes over real HTTP, on the real tables in the
// dialect under test, with data stored through EventStore as a forwarder session would.
class StreamRoutesTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void listStreams();
    void sessionBookkeeping();
    void rename();
    void renameErrors_data();
    void renameErrors();
    void metrics();
    void epochs();
    void epochNames();
    void epochNameErrors_data();
    void epochNameErrors();
    void scenario13Exports();
    void exportEdgeCases();
    void exportErrors();
    void largeExportComplete();
    void exportCutOffWhenDatabaseFails();
    void receiverCursors();
    void adminOnlyCursorRoutes();
    void databaseUnreachable();

private:
    void start();
    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    void ingest(const QList<IngestEvent> &events);
    QString addStream(const QString &readerIp);
    QJsonObject listedStream(const QString &streamId);

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<EventStore> m_events;
    std::unique_ptr<StreamStore> m_streams;
    std::unique_ptr<CursorStore> m_cursors;
    std::unique_ptr<HttpTestServer> m_http;
    QList<QJsonObject> m_notified;
    QString m_streamId;
    QString m_base; // /api/v1/streams/<m_streamId>
};

void StreamRoutesTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_events = std::make_unique<EventStore>(m_testDb->database());
    m_streams = std::make_unique<StreamStore>(m_testDb->database());
    m_cursors = std::make_unique<CursorStore>(m_testDb->database());
    m_notified.clear();
    m_streamId = addStream(reader);
    m_base = u"/api/v1/streams/"_s + m_streamId;
    start();
}

void StreamRoutesTest::cleanup()
{
    m_http.reset();
    m_cursors.reset();
    m_streams.reset();
    m_events.reset();
    m_testDb.reset();
}

void StreamRoutesTest::start()
{
    m_http = std::make_unique<HttpTestServer>();
    registerStreamRoutes(m_http->router(), *m_streams, *m_events, *m_cursors,
                         [this](const QJsonObject &event) { m_notified.append(event); });
    QVERIFY(m_http->start());
}

HttpReply StreamRoutesTest::call(const QByteArray &method, const QString &path,
                                 const QByteArray &body)
{
    QHash<QByteArray, QByteArray> headers;
    if (!body.isEmpty())
        headers.insert("Content-Type", "application/json");
    return HttpClient::request(method, m_http->url(path), headers, body);
}

void StreamRoutesTest::ingest(const QList<IngestEvent> &events)
{
    StoreError error;
    if (!m_events->ingest(m_streamId, events, &error))
        qFatal("ingest: %s", qPrintable(error.message));
}

QString StreamRoutesTest::addStream(const QString &readerIp)
{
    StoreError error;
    const std::optional<StreamRecord> stream = m_events->ensureStream(forwarder, readerIp, &error);
    if (!stream)
        qFatal("ensureStream: %s", qPrintable(error.message));
    return stream->streamId;
}

QJsonObject StreamRoutesTest::listedStream(const QString &streamId)
{
    const QJsonArray streams =
        call("GET", u"/api/v1/streams"_s).json()[u"streams"_s].toArray();
    for (const QJsonValue &stream : streams) {
        if (stream[u"stream_id"_s].toString() == streamId)
            return stream.toObject();
    }
    return {};
}

void StreamRoutesTest::listStreams()
{
    QTest::qWait(5); // created_at orders the list: keep the two streams apart
    const QString second = addStream(u"10.0.0.2:10000"_s);
    const HttpReply reply = call("GET", u"/api/v1/streams"_s);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json"));
    const QJsonArray streams = reply.json()[u"streams"_s].toArray();
    QCOMPARE(streams.size(), 2);
    QJsonObject first = streams.at(0).toObject();
    const QJsonValue createdAt = first.take(u"created_at"_s);
    QVERIFY2(isRecent(createdAt), qPrintable(createdAt.toString()));
    QCOMPARE(first, (QJsonObject{{u"stream_id"_s, m_streamId},
                                 {u"forwarder_id"_s, forwarder},
                                 {u"reader_ip"_s, reader},
                                 {u"display_alias"_s, QJsonValue::Null},
                                 {u"forwarder_display_name"_s, QJsonValue::Null},
                                 {u"stream_epoch"_s, 1},
                                 {u"current_epoch_name"_s, QJsonValue::Null},
                                 {u"pending_epoch"_s, QJsonValue::Null},
                                 {u"online"_s, false},
                                 {u"reader_connected"_s, false}}));
    QCOMPARE(streams.at(1)[u"stream_id"_s].toString(), second);

    // The current epoch's name and a pending reset show up in the list.
    StoreError error;
    QVERIFY(m_streams->setEpochName(m_streamId, 1, u"Heat 1"_s, &error));
    QVERIFY(m_events->requestEpochReset(m_streamId, &error));
    const QJsonObject listed = listedStream(m_streamId);
    QCOMPARE(listed[u"current_epoch_name"_s].toString(), u"Heat 1"_s);
    QCOMPARE(listed[u"pending_epoch"_s].toInteger(), 2);
}

void StreamRoutesTest::sessionBookkeeping()
{
    const QString other = addStream(u"10.0.0.2:10000"_s);
    StoreError error;
    QVERIFY(m_events->ensureStream(u"fwd-other"_s, reader, &error));

    QVERIFY(m_streams->markOnline(forwarder, {reader}, u"Finish line"_s, &error));
    std::optional<StreamInfo> info = m_streams->get(m_streamId, &error);
    QVERIFY(info && info->online && !info->readerConnected);
    QCOMPARE(info->forwarderDisplayName, u"Finish line"_s);
    info = m_streams->find(forwarder, u"10.0.0.2:10000"_s, &error);
    QVERIFY(info && !info->online);
    QCOMPARE(info->streamId, other);
    QCOMPARE(info->forwarderDisplayName, u"Finish line"_s); // every stream of the forwarder
    QCOMPARE(listedStream(m_streamId).value(u"online"_s), QJsonValue(true));

    QVERIFY(m_streams->setReaderConnected(m_streamId, true, &error));
    QVERIFY(m_streams->setReaderConnected(other, true, &error)); // offline: ignored
    QCOMPARE(listedStream(m_streamId).value(u"reader_connected"_s), QJsonValue(true));
    QCOMPARE(listedStream(other).value(u"reader_connected"_s), QJsonValue(false));
    QVERIFY(!m_streams->setReaderConnected(randomId(), true, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);

    const std::optional<QList<StreamInfo>> mine = m_streams->forForwarder(forwarder, &error);
    QVERIFY(mine);
    QCOMPARE(mine->size(), 2);

    QVERIFY(m_streams->markOnline(forwarder, {reader, u"10.0.0.2:10000"_s}, std::nullopt, &error));
    QCOMPARE(listedStream(other).value(u"online"_s), QJsonValue(true));
    QCOMPARE(listedStream(m_streamId).value(u"forwarder_display_name"_s), QJsonValue());
    QVERIFY(m_streams->markOffline(forwarder, &error));
    QCOMPARE(listedStream(m_streamId).value(u"online"_s), QJsonValue(false));
    QCOMPARE(listedStream(m_streamId).value(u"reader_connected"_s), QJsonValue(false));

    QVERIFY(m_streams->markOnline(forwarder, {reader}, {}, &error));
    QVERIFY(m_streams->setReaderConnected(m_streamId, true, &error));
    QVERIFY(m_streams->setReaderConnected(other, false, &error));
    QCOMPARE(m_streams->markAllOffline(&error).value_or(-1), 1);
    QCOMPARE(m_streams->markAllOffline(&error).value_or(-1), 0);
    info = m_streams->get(m_streamId, &error);
    QVERIFY(info && !info->online && !info->readerConnected);

    QVERIFY(!m_streams->find(forwarder, u"10.9.9.9"_s, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!m_streams->get(u"not-a-uuid"_s, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
}

void StreamRoutesTest::rename()
{
    const HttpReply renamed = call("PATCH", m_base, R"({"display_alias":"Finish"})");
    QCOMPARE(renamed.status, 200);
    QCOMPARE(renamed.json().object(), (QJsonObject{{u"display_alias"_s, u"Finish"_s}}));
    QCOMPARE(m_notified.size(), 1);
    QCOMPARE(m_notified.first(), (QJsonObject{{u"type"_s, u"stream_updated"_s},
                                              {u"stream_id"_s, m_streamId},
                                              {u"display_alias"_s, u"Finish"_s}}));
    QCOMPARE(listedStream(m_streamId).value(u"display_alias"_s).toString(), u"Finish"_s);

    QCOMPARE(call("PATCH", m_base, R"({"display_alias":"Start"})").status, 200);
    QCOMPARE(listedStream(m_streamId).value(u"display_alias"_s).toString(), u"Start"_s);
    QCOMPARE(m_notified.size(), 2);
}

void StreamRoutesTest::renameErrors_data()
{
    QTest::addColumn<QString>("target"); // "" = the test stream
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QString required = u"display_alias is required"_s;
    QTest::newRow("missing") << QString() << QByteArray("{}") << 400 << required;
    QTest::newRow("number") << QString() << QByteArray(R"({"display_alias":5})") << 400 << required;
    QTest::newRow("null") << QString() << QByteArray(R"({"display_alias":null})") << 400 << required;
    QTest::newRow("not json") << QString() << QByteArray("display_alias=x") << 400
                              << u"request body must be a JSON object"_s;
    QTest::newRow("unknown") << randomId() << QByteArray(R"({"display_alias":"x"})") << 404
                             << u"stream not found"_s;
    QTest::newRow("not a uuid") << u"42"_s << QByteArray(R"({"display_alias":"x"})") << 404
                                << u"stream not found"_s;
}

void StreamRoutesTest::renameErrors()
{
    QFETCH(QString, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    const HttpReply reply =
        call("PATCH", u"/api/v1/streams/"_s + (target.isEmpty() ? m_streamId : target), body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.json().object(), envelope(HttpResponse::errorCode(status), message));
    QVERIFY(m_notified.isEmpty());
    QCOMPARE(listedStream(m_streamId).value(u"display_alias"_s), QJsonValue());
}

void StreamRoutesTest::metrics()
{
    ingest(frames(1, 1, 10));
    ingest(frames(1, 1, 2)); // two identical retransmits
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^INTEGRITY_CONFLICT"_s));
    ingest({read(1, 3, "DIFFERENT_LINE")});
    StoreError error;
    QVERIFY(m_cursors->upsertCursor(u"rcv-1"_s, m_streamId, 1, 4, &error));
    QVERIFY(m_cursors->upsertCursor(u"rcv-2"_s, m_streamId, 1, 8, &error));
    QVERIFY(m_events->requestEpochReset(m_streamId, &error));

    const HttpReply reply = call("GET", m_base + u"/metrics"_s);
    QCOMPARE(reply.status, 200);
    QJsonObject metrics = reply.json().object();
    const qint64 lag = metrics.take(u"lag_ms"_s).toInteger(-1);
    const qint64 epochLag = metrics.take(u"epoch_lag_ms"_s).toInteger(-1);
    QVERIFY2(lag >= 0 && lag < 120000, qPrintable(QString::number(lag)));
    QVERIFY(epochLag >= 0 && epochLag < 120000);
    QVERIFY(isRecent(metrics.take(u"epoch_last_received_at"_s)));
    QCOMPARE(metrics, (QJsonObject{{u"raw_count"_s, 12},
                                   {u"dedup_count"_s, 10},
                                   {u"retransmit_count"_s, 2},
                                   {u"conflict_count"_s, 1},
                                   {u"backlog"_s, 6}, // past the slowest cursor (seq 4)
                                   {u"stream_epoch"_s, 1},
                                   {u"pending_epoch"_s, 2},
                                   {u"epoch_raw_count"_s, 12},
                                   {u"epoch_dedup_count"_s, 10},
                                   {u"epoch_retransmit_count"_s, 2},
                                   {u"epoch_conflict_count"_s, 1},
                                   {u"unique_chips"_s, 0},
                                   {u"last_tag_id"_s, QJsonValue::Null},
                                   {u"last_reader_timestamp"_s, u"2026-02-17T10:00:00.000Z"_s}}));

    // A fresh stream has no lag yet.
    const QJsonObject fresh =
        call("GET", u"/api/v1/streams/%1/metrics"_s.arg(addStream(u"10.0.0.3"_s))).json().object();
    QCOMPARE(fresh[u"lag_ms"_s], QJsonValue());
    QCOMPARE(fresh[u"epoch_last_received_at"_s], QJsonValue());
    QCOMPARE(fresh[u"raw_count"_s].toInteger(), 0);

    for (const QString &id : {randomId(), u"nope"_s}) {
        const HttpReply missing = call("GET", u"/api/v1/streams/%1/metrics"_s.arg(id));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json().object(), notFound());
    }
}

void StreamRoutesTest::epochs()
{
    const HttpReply empty = call("GET", m_base + u"/epochs"_s);
    QCOMPARE(empty.status, 200);
    QVERIFY(empty.json().isArray());
    QCOMPARE(empty.json().array(), QJsonArray());

    ingest(frames(1, 1, 3));
    ingest(frames(2, 1, 2));
    StoreError error;
    QVERIFY(m_streams->setEpochName(m_streamId, 4, u"Later"_s, &error)); // no events yet
    const QJsonArray listed = call("GET", m_base + u"/epochs"_s).json().array();
    QCOMPARE(listed.size(), 3);
    const QList<std::tuple<qint64, QJsonValue, qint64, bool>> expected{
        {1, QJsonValue::Null, 3, false}, {2, QJsonValue::Null, 2, true}, {4, u"Later"_s, 0, false}};
    for (qsizetype i = 0; i < listed.size(); ++i) {
        QJsonObject epoch = listed.at(i).toObject();
        const auto &[number, name, count, current] = expected.at(i);
        const QJsonValue first = epoch.take(u"first_event_at"_s);
        const QJsonValue last = epoch.take(u"last_event_at"_s);
        if (count > 0) {
            QVERIFY(isRecent(first) && isRecent(last));
            QVERIFY(first.toString() <= last.toString());
        } else {
            QCOMPARE(first, QJsonValue());
            QCOMPARE(last, QJsonValue());
        }
        QCOMPARE(epoch, (QJsonObject{{u"epoch"_s, number},
                                     {u"name"_s, name},
                                     {u"event_count"_s, count},
                                     {u"is_current"_s, current}}));
    }

    for (const QString &id : {randomId(), u"nope"_s}) {
        const HttpReply missing = call("GET", u"/api/v1/streams/%1/epochs"_s.arg(id));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json().object(), notFound());
    }
}

void StreamRoutesTest::epochNames()
{
    const QString path = m_base + u"/epochs/1/name"_s;
    const HttpReply named = call("PUT", path, R"({"name":"  Heat 1 "})");
    QCOMPARE(named.status, 200);
    QCOMPARE(named.json().object(), (QJsonObject{{u"stream_id"_s, m_streamId},
                                                 {u"stream_epoch"_s, 1},
                                                 {u"name"_s, u"Heat 1"_s}}));
    QCOMPARE(listedStream(m_streamId).value(u"current_epoch_name"_s).toString(), u"Heat 1"_s);
    QCOMPARE(call("GET", m_base + u"/epochs"_s).json()[0][u"name"_s].toString(), u"Heat 1"_s);

    QCOMPARE(call("PUT", path, R"({"name":"Final"})").json()[u"name"_s].toString(), u"Final"_s);
    QCOMPARE(listedStream(m_streamId).value(u"current_epoch_name"_s).toString(), u"Final"_s);

    // null and blank both clear; an epoch without events and without a name is not listed.
    for (const QByteArray &body : QByteArrayList{R"({"name":null})", R"({"name":"  "})"}) {
        QCOMPARE(call("PUT", path, R"({"name":"again"})").status, 200);
        const HttpReply cleared = call("PUT", path, body);
        QCOMPARE(cleared.status, 200);
        QCOMPARE(cleared.json()[u"name"_s], QJsonValue());
        QCOMPARE(listedStream(m_streamId).value(u"current_epoch_name"_s), QJsonValue());
        QCOMPARE(call("GET", m_base + u"/epochs"_s).json().array(), QJsonArray());
    }

    // Another epoch's name is not the current one.
    QCOMPARE(call("PUT", m_base + u"/epochs/7/name"_s, R"({"name":"Seven"})").status, 200);
    QCOMPARE(listedStream(m_streamId).value(u"current_epoch_name"_s), QJsonValue());
    QCOMPARE(call("GET", m_base + u"/epochs"_s).json()[0][u"epoch"_s].toInteger(), 7);
}

void StreamRoutesTest::epochNameErrors_data()
{
    QTest::addColumn<QString>("target"); // "" = the test stream
    QTest::addColumn<QString>("epoch");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QByteArray ok = R"({"name":"x"})";
    const QString badEpoch = u"epoch must be an integer >= 1"_s;
    QTest::newRow("missing") << QString() << u"1"_s << QByteArray("{}") << 400
                             << u"name is required"_s;
    QTest::newRow("number") << QString() << u"1"_s << QByteArray(R"({"name":3})") << 400
                            << u"name must be a string or null"_s;
    QTest::newRow("object") << QString() << u"1"_s << QByteArray(R"({"name":{}})") << 400
                            << u"name must be a string or null"_s;
    QTest::newRow("not json") << QString() << u"1"_s << QByteArray("[") << 400
                              << u"request body must be a JSON object"_s;
    QTest::newRow("epoch 0") << QString() << u"0"_s << ok << 400 << badEpoch;
    QTest::newRow("negative") << QString() << u"-1"_s << ok << 400 << badEpoch;
    QTest::newRow("text") << QString() << u"abc"_s << ok << 400 << badEpoch;
    QTest::newRow("plus") << QString() << u"+2"_s << ok << 400 << badEpoch;
    QTest::newRow("fraction") << QString() << u"1.5"_s << ok << 400 << badEpoch;
    QTest::newRow("overflow") << QString() << u"99999999999999999999"_s << ok << 400 << badEpoch;
    QTest::newRow("unknown") << randomId() << u"1"_s << ok << 404 << u"stream not found"_s;
    QTest::newRow("not a uuid") << u"abc"_s << u"1"_s << ok << 404 << u"stream not found"_s;
}

void StreamRoutesTest::epochNameErrors()
{
    QFETCH(QString, target);
    QFETCH(QString, epoch);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    const HttpReply reply = call("PUT",
                                 u"/api/v1/streams/%1/epochs/%2/name"_s.arg(
                                     target.isEmpty() ? m_streamId : target, epoch),
                                 body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.json().object(), envelope(HttpResponse::errorCode(status), message));
    QCOMPARE(call("GET", m_base + u"/epochs"_s).json().array(), QJsonArray());
}

void StreamRoutesTest::scenario13Exports()
{
    QFile file(QStringLiteral(PITWALL_SOURCE_DIR "/tests/data/relay/export_reads.txt"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QList<IngestEvent> events;
    for (const QByteArray &line : lines)
        events.append(read(1, events.size() + 1, line + "\r\n")); // as journaled, with CRLF
    ingest(events);

    const HttpReply text = call("GET", m_base + u"/export.txt"_s);
    QCOMPARE(text.status, 200);
    QCOMPARE(text.headers.value("content-type"), QByteArray("text/plain; charset=utf-8"));
    QCOMPARE(text.headers.value("content-disposition"),
             QByteArray("attachment; filename=\"fwd-2cb60cb5ec9935be_192.168.50.1_10000.txt\""));
    QCOMPARE(text.headers.value("transfer-encoding"), QByteArray("chunked"));
    QCOMPARE(text.body, lines.join('\n') + '\n');

    const QByteArray expectedCsv =
        csvHeader
        + "1,1,2001-12-30T18:45:00.000,aa400000000123450a2a0112301845000090,RAW,000000012345\n"
          "1,2,2001-12-30T18:45:10.100,aa400000000123450a2a0112301845100ac2,RAW,000000012345\n"
          "1,3,2001-12-30T18:45:20.250,aa400000000123450a2a011230184520199c,RAW,000000012345\n"
          "1,4,2001-12-30T18:45:30.500,aa400000000123450a2a0112301845303298,RAW,000000012345\n"
          "1,5,2001-12-30T18:45:40.990,aa400000000123450a2a011230184540639d,RAW,000000012345\n";
    const HttpReply csv = call("GET", m_base + u"/export.csv"_s);
    QCOMPARE(csv.status, 200);
    QCOMPARE(csv.headers.value("content-type"), QByteArray("text/csv; charset=utf-8"));
    QCOMPARE(csv.headers.value("content-disposition"),
             QByteArray("attachment; filename=\"fwd-2cb60cb5ec9935be_192.168.50.1_10000.csv\""));
    QCOMPARE(csv.body, expectedCsv);

    const HttpReply epochCsv = call("GET", m_base + u"/epochs/1/export.csv"_s);
    QCOMPARE(epochCsv.status, 200);
    QCOMPARE(epochCsv.headers.value("content-disposition"),
             QByteArray("attachment; filename=\"fwd-2cb60cb5ec9935be_192.168.50.1_10000_epoch1.csv\""));
    QCOMPARE(epochCsv.body, expectedCsv);
}

void StreamRoutesTest::exportEdgeCases()
{
    // Empty stream: header-only CSV, empty TXT, both 200.
    const HttpReply emptyText = call("GET", m_base + u"/export.txt"_s);
    QCOMPARE(emptyText.status, 200);
    QCOMPARE(emptyText.body, QByteArray());
    const HttpReply emptyCsv = call("GET", m_base + u"/export.csv"_s);
    QCOMPARE(emptyCsv.status, 200);
    QCOMPARE(emptyCsv.body, csvHeader);

    ingest({read(1, 1, "ONE\n"), read(2, 1, "CSV,WITH,COMMAS\r\n"), read(2, 2, "garbage"),
            read(2, 3, "say \"hi\"\r\n")});
    QCOMPARE(call("GET", m_base + u"/export.txt"_s).body,
             QByteArray("ONE\nCSV,WITH,COMMAS\ngarbage\nsay \"hi\"\n"));
    QCOMPARE(call("GET", m_base + u"/export.csv"_s).body,
             csvHeader
                 + "1,1,2026-02-17T10:00:00.000Z,ONE,RAW,\n"
                   "2,1,2026-02-17T10:00:00.000Z,\"CSV,WITH,COMMAS\",RAW,\n"
                   "2,2,2026-02-17T10:00:00.000Z,garbage,RAW,\n"
                   "2,3,2026-02-17T10:00:00.000Z,\"say \"\"hi\"\"\",RAW,\n");
    const HttpReply epochText = call("GET", m_base + u"/epochs/2/export.txt"_s);
    QCOMPARE(epochText.headers.value("content-disposition"),
             QByteArray("attachment; filename=\"fwd-2cb60cb5ec9935be_192.168.50.1_10000_epoch2.txt\""));
    QCOMPARE(epochText.body, QByteArray("CSV,WITH,COMMAS\ngarbage\nsay \"hi\"\n"));
    QCOMPARE(call("GET", m_base + u"/epochs/1/export.csv"_s).body,
             csvHeader + "1,1,2026-02-17T10:00:00.000Z,ONE,RAW,\n");
    const HttpReply emptyEpoch = call("GET", m_base + u"/epochs/3/export.csv"_s);
    QCOMPARE(emptyEpoch.status, 200);
    QCOMPARE(emptyEpoch.body, csvHeader);

    // Ids a device chose cannot break out of the header's quoted file name.
    StoreError error;
    const auto odd = m_events->ensureStream(u"fwd \"x\"/1"_s, u"[::1]:10000"_s, &error);
    QVERIFY(odd);
    QCOMPARE(call("GET", u"/api/v1/streams/%1/export.txt"_s.arg(odd->streamId))
                 .headers.value("content-disposition"),
             QByteArray("attachment; filename=\"fwd__x__1____1__10000.txt\""));
}

void StreamRoutesTest::exportErrors()
{
    for (const QString &file : {u"export.txt"_s, u"export.csv"_s, u"epochs/1/export.csv"_s}) {
        for (const QString &id : {randomId(), u"nope"_s}) {
            const HttpReply reply = call("GET", u"/api/v1/streams/%1/%2"_s.arg(id, file));
            QCOMPARE(reply.status, 404);
            QCOMPARE(reply.json().object(), notFound());
        }
    }
    for (const QString &epoch : {u"0"_s, u"x"_s, u"-2"_s}) {
        const HttpReply reply = call("GET", m_base + u"/epochs/%1/export.txt"_s.arg(epoch));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().object(), badRequest(u"epoch must be an integer >= 1"_s));
    }
}

void StreamRoutesTest::largeExportComplete()
{
    constexpr int total = 25000;
    for (int first = 1; first <= total; first += 2500)
        ingest(frames(1, first, first + 2499));
    QByteArray expectedText;
    QByteArray expectedCsv = csvHeader;
    for (int seq = 1; seq <= total; ++seq) {
        expectedText += "LINE_" + QByteArray::number(seq) + '\n';
        expectedCsv += "1," + QByteArray::number(seq) + ",2026-02-17T10:00:00.000Z,LINE_"
                     + QByteArray::number(seq) + ",RAW,\n";
    }
    const HttpReply text = call("GET", m_base + u"/export.txt"_s);
    QCOMPARE(text.status, 200);
    QCOMPARE(text.body.size(), expectedText.size());
    QVERIFY(text.body == expectedText);
    const HttpReply csv = call("GET", m_base + u"/epochs/1/export.csv"_s);
    QCOMPARE(csv.status, 200);
    QVERIFY(csv.body == expectedCsv);
}

void StreamRoutesTest::exportCutOffWhenDatabaseFails()
{
    ingest(frames(1, 1, 1500));
    // Put a view in place of the events table whose row seq 1001 raises an error when read: the
    // export's first page (rows 1..1000) succeeds and is sent, the second page fails.
    QSqlDatabase db = m_testDb->database().connection();
    QSqlQuery query(db);
    const QString failing = m_testDb->dialect().isPostgres()
        ? u"CAST(CAST(seq / (seq - 1001) AS TEXT) AS BYTEA)"_s // division by zero
        : u"json(read_type || '{')"_s;                         // malformed JSON
    for (const QString &sql :
         {u"ALTER TABLE events RENAME TO events_data"_s,
          u"CREATE VIEW events AS SELECT stream_id, stream_epoch, seq, reader_timestamp, "
          "CASE WHEN seq = 1001 THEN %1 ELSE raw_frame END AS raw_frame, read_type, "
          "received_at, tag_id FROM events_data"_s.arg(failing)}) {
        QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
    }

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"failed mid-stream, cutting it off"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"was not finished"_s));
    RawHttpClient client;
    QVERIFY(client.connectTo(m_http->port()));
    client.send("GET " + m_base.toLatin1() + "/export.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY(client.waitForDisconnected(15000));
    const QByteArray received = client.received();
    QVERIFY2(received.startsWith("HTTP/1.1 200 "), received.left(200).constData());
    QVERIFY(received.contains("LINE_1000\n"));
    QVERIFY(!received.contains("LINE_1001"));
    // No terminating chunk: the client can tell the transfer was truncated.
    QVERIFY(!received.endsWith("0\r\n\r\n"));
    QCOMPARE(RawHttpClient::parse(received).size(), 0);
}

void StreamRoutesTest::receiverCursors()
{
    const QString path = u"/api/v1/admin/receiver-cursors"_s;
    QCOMPARE(call("GET", path).json().object(), (QJsonObject{{u"cursors"_s, QJsonArray()}}));
    // 204 even with nothing to delete: "clear all" has no id that could be mistyped.
    QCOMPARE(call("DELETE", path).status, 204);

    const QString other = addStream(u"10.0.0.2"_s);
    StoreError error;
    for (const auto &[receiver, stream, epoch, seq] :
         QList<std::tuple<QString, QString, qint64, qint64>>{{u"rcv-1"_s, m_streamId, 1, 5},
                                                            {u"rcv-1"_s, m_streamId, 2, 1},
                                                            {u"rcv-1"_s, other, 1, 9},
                                                            {u"rcv-2"_s, m_streamId, 1, 7}}) {
        QVERIFY(m_cursors->upsertCursor(receiver, stream, epoch, seq, &error));
    }
    const HttpReply listed = call("GET", path);
    QCOMPARE(listed.status, 200);
    const QJsonArray cursors = listed.json()[u"cursors"_s].toArray();
    QCOMPARE(cursors.size(), 4);
    QJsonObject first = cursors.at(0).toObject();
    for (const QJsonValue &cursor : cursors)
        QVERIFY(isRecent(cursor[u"updated_at"_s]));
    first.remove(u"updated_at"_s);
    QCOMPARE(first, (QJsonObject{{u"receiver_id"_s, u"rcv-1"_s},
                                 {u"stream_id"_s, std::min(m_streamId, other)},
                                 {u"stream_epoch"_s, 1},
                                 {u"last_seq"_s, m_streamId < other ? 5 : 9}}));

    const QJsonObject missing = envelope(u"NOT_FOUND"_s, u"receiver cursor not found"_s);
    const QString pair = path + u"/rcv-1/"_s + m_streamId;
    QCOMPARE(call("DELETE", pair).status, 204); // both epochs of that stream
    const HttpReply again = call("DELETE", pair);
    QCOMPARE(again.status, 404);
    QCOMPARE(again.json().object(), missing);
    QCOMPARE(call("DELETE", path + u"/rcv-1/not-a-uuid"_s).json().object(), missing);
    QCOMPARE(call("DELETE", path + u"/rcv-1/"_s + randomId()).status, 404);
    QCOMPARE(call("DELETE", path + u"/rcv-9"_s).json().object(), missing);
    QCOMPARE(call("GET", path).json()[u"cursors"_s].toArray().size(), 2);

    QCOMPARE(call("DELETE", path + u"/rcv-1"_s).status, 204);
    const QJsonArray left = call("GET", path).json()[u"cursors"_s].toArray();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first()[u"receiver_id"_s].toString(), u"rcv-2"_s);
    QCOMPARE(call("DELETE", path).status, 204);
    QCOMPARE(call("GET", path).json()[u"cursors"_s].toArray(), QJsonArray());
}

void StreamRoutesTest::adminOnlyCursorRoutes()
{
    const QList<Router::RouteInfo> routes = m_http->router().routes();
    QCOMPARE(routes.size(), 13);
    for (const Router::RouteInfo &route : routes) {
        const bool cursorRoute = route.pattern.startsWith(u"/api/v1/admin/receiver-cursors"_s);
        QVERIFY2(route.admin == cursorRoute,
                 qPrintable(QString::fromLatin1(route.method) + u' ' + route.pattern));
    }
    HttpRequest request;
    request.method = "DELETE";
    request.setTarget("/api/v1/admin/receiver-cursors/rcv-1");
    request.peerAddress = QHostAddress(u"192.0.2.10"_s);
    QVERIFY(m_http->router().match(request.method, request.rawPath).options.admin);
    const std::optional<HttpResponse> refused = m_http->router().adminGuard().check(request);
    QVERIFY(refused);
    QCOMPARE(refused->status(), 403);
}

void StreamRoutesTest::databaseUnreachable()
{
    const UnreachableDatabase down(*m_testDb);
    QVERIFY2(down.isValid(), qPrintable(down.problem()));
    const EventStore events(down.database());
    const StreamStore streams(down.database());
    const CursorStore cursors(down.database());
    m_http = std::make_unique<HttpTestServer>();
    registerStreamRoutes(m_http->router(), streams, events, cursors, {});
    QVERIFY(m_http->start());

    const QByteArray alias = R"({"display_alias":"x"})";
    const QByteArray name = R"({"name":"x"})";
    const QList<std::tuple<QByteArray, QString, QByteArray>> requests{
        {"GET", u"/api/v1/streams"_s, {}},
        {"PATCH", m_base, alias},
        {"GET", m_base + u"/metrics"_s, {}},
        {"GET", m_base + u"/epochs"_s, {}},
        {"PUT", m_base + u"/epochs/1/name"_s, name},
        {"GET", m_base + u"/export.txt"_s, {}},
        {"GET", m_base + u"/epochs/1/export.csv"_s, {}},
        {"GET", u"/api/v1/admin/receiver-cursors"_s, {}},
        {"DELETE", u"/api/v1/admin/receiver-cursors"_s, {}},
        {"DELETE", u"/api/v1/admin/receiver-cursors/rcv-1"_s, {}},
        {"DELETE", u"/api/v1/admin/receiver-cursors/rcv-1/"_s + m_streamId, {}},
    };
    for (const auto &[method, path, body] : requests) {
        const HttpReply reply = call(method, path, body);
        QVERIFY2(reply.status == 503, qPrintable(QString::fromLatin1(method) + u' ' + path));
        QCOMPARE(reply.json().object(),
                 envelope(u"SERVICE_UNAVAILABLE"_s, u"database unavailable"_s));
    }
    m_http.reset(); // its routes refer to the stores above
}

QTEST_GUILESS_MAIN(StreamRoutesTest)
#include "streamroutes.moc"
