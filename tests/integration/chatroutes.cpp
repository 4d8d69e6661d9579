#include "core/db/migrationrunner.h"
#include "vod/chatroutes.h"
#include "vod/chatstore.h"
#include "vod/chatstreams.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "rawhttpclient.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QDateTime vodStart = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

StoredChatMessage row(const QString &vodId, double rel, const QString &id, const QString &text)
{
    ChatMessage m;
    m.channel = u"alice"_s;
    m.messageId = id;
    m.userId = u"42"_s;
    m.username = u"viewer1"_s;
    m.displayName = u"Viewer1"_s;
    m.text = text;
    m.badges = {u"subscriber/12"_s, u"moderator/1"_s};
    m.emotes = {u"Kappa"_s};
    m.color = u"#1E90FF"_s;
    m.sentAt = vodStart.addMSecs(qint64(rel * 1000));
    return {0, vodId, rel, m};
}

// The "id: N" lines of an SSE body, in order.
QList<qint64> eventIds(const QByteArray &body)
{
    QList<qint64> ids;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("id: "))
            ids.append(line.mid(4).toLongLong());
    }
    return ids;
}

// Reads until the SSE body holds `count` events or 5 s passed; their ids.
QList<qint64> waitForEvents(RawHttpClient &client, qsizetype count)
{
    QElapsedTimer clock;
    clock.start();
    while (eventIds(client.received()).size() < count && clock.elapsed() < 5000)
        client.waitForBytes(50);
    return eventIds(client.received());
}

} // namespace

// The chat routes over real HTTP on the real table: the JSON slice, the exports and the SSE
// replay with its pacing, resume and follow, and that no server timeout cuts it.
class ChatRoutesTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void jsonSlice();
    void nullColumnsAreEmptyStrings();
    void badParameters();
    void exports();
    void replayPacingAndNoTimeout();
    void replayResumesAfterLastEventId();
    void replayEndsOnClose();

private:
    QString vodPath(const QString &rest) const { return u"/vods/v1/chat"_s + rest; }
    // Opens an SSE replay on a raw connection; its bytes arrive in the client's received().
    void openReplay(RawHttpClient &client, const QByteArray &query,
                    const QByteArray &extraHeaders = {});

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<ChatStore> m_store;
    std::unique_ptr<ChatStreams> m_streams;
    std::unique_ptr<HttpTestServer> m_http;
    QList<qint64> m_ids; // of the rows at rel 0, 1, 2, 12 s
};

void ChatRoutesTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_store = std::make_unique<ChatStore>(m_testDb->database());
    StoreError storeError;
    // Inserted out of order: every answer is ordered by the offset.
    QCOMPARE(m_store->insert({row(u"v1"_s, 12, u"m4"_s, u"=1+1, \"quoted\""_s),
                              row(u"v1"_s, 0, u"m1"_s, u"first"_s),
                              row(u"v1"_s, 2, u"m3"_s, u"third\nline"_s),
                              row(u"v1"_s, 1, u"m2"_s, u"second"_s),
                              row(u"v2"_s, 5, u"other"_s, u"another vod"_s)},
                             &storeError),
             std::optional<int>(5));
    const auto rows = m_store->messages(u"v1"_s, {}, &storeError);
    QVERIFY(rows);
    for (const StoredChatMessage &stored : *rows)
        m_ids.append(stored.id);
    ChatStreamOptions options;
    options.heartbeatInterval = std::chrono::seconds(2);
    options.followInterval = std::chrono::milliseconds(200);
    m_streams = std::make_unique<ChatStreams>(m_testDb->database(), options);
    // Short request and keep-alive timeouts: a stream must outlive both.
    m_http = std::make_unique<HttpTestServer>(
            HttpLimits{.requestTimeout = std::chrono::seconds(1),
                       .keepAliveTimeout = std::chrono::seconds(1)});
    registerChatRoutes(m_http->router(), *m_store, *m_streams);
    QVERIFY(m_http->start());
}

void ChatRoutesTest::cleanup()
{
    m_streams.reset();
    m_http.reset();
    m_store.reset();
    m_testDb.reset();
    m_ids.clear();
}

void ChatRoutesTest::jsonSlice()
{
    const HttpReply all = HttpClient::get(m_http->url(vodPath({})));
    QCOMPARE(all.status, 200);
    const QJsonArray array = all.json().array();
    QCOMPARE(array.size(), 4);
    QList<double> rels;
    for (const QJsonValue &value : array)
        rels.append(value[u"rel_timestamp"_s].toDouble());
    QCOMPARE(rels, QList<double>({0, 1, 2, 12}));
    const QJsonObject first = array.at(0).toObject();
    QCOMPARE(first[u"id"_s].toInteger(), m_ids.at(0));
    QCOMPARE(first[u"message_id"_s].toString(), u"m1"_s);
    QCOMPARE(first[u"username"_s].toString(), u"viewer1"_s);
    QCOMPARE(first[u"display_name"_s].toString(), u"Viewer1"_s);
    QCOMPARE(first[u"message"_s].toString(), u"first"_s);
    QCOMPARE(first[u"badges"_s].toString(), u"subscriber/12,moderator/1"_s);
    QCOMPARE(first[u"emotes"_s].toString(), u"Kappa"_s);
    QCOMPARE(first[u"color"_s].toString(), u"#1E90FF"_s);
    QCOMPARE(first[u"abs_timestamp"_s].toString(), u"2024-05-01T12:00:00.000Z"_s);

    const auto rels_of = [this](const QString &query) {
        QList<double> out;
        for (const QJsonValue &value : HttpClient::get(m_http->url(vodPath(query))).json().array())
            out.append(value[u"rel_timestamp"_s].toDouble());
        return out;
    };
    QCOMPARE(rels_of(u"?from=1&to=2"_s), QList<double>({1, 2}));
    QCOMPARE(rels_of(u"?from=1.5"_s), QList<double>({2, 12}));
    QCOMPARE(rels_of(u"?to=0"_s), QList<double>({0, 1, 2, 12})); // to only when > 0
    QCOMPARE(rels_of(u"?limit=2"_s), QList<double>({0, 1}));
    QCOMPARE(rels_of(u"?limit=0"_s), QList<double>({0, 1, 2, 12})); // out of range: 1000
    QCOMPARE(HttpClient::get(m_http->url(u"/vods/unknown/chat"_s)).json().array().size(), 0);
}

void ChatRoutesTest::nullColumnsAreEmptyStrings()
{
    QSqlDatabase db = m_testDb->database().connection();
    QSqlQuery query(db);
    QVERIFY2(query.exec(u"INSERT INTO chat_messages (channel, vod_id, abs_timestamp, "
                        "rel_timestamp) VALUES ('alice', 'vnull', '2024-05-01T12:00:00.000Z', 3)"_s),
             qPrintable(query.lastError().text()));
    const HttpReply reply = HttpClient::get(m_http->url(u"/vods/vnull/chat"_s));
    QCOMPARE(reply.status, 200);
    const QJsonObject object = reply.json().array().at(0).toObject();
    for (const QString &key : {u"username"_s, u"message"_s, u"badges"_s, u"emotes"_s,
                               u"color"_s, u"message_id"_s, u"reply_to_id"_s})
        QCOMPARE(object[key], QJsonValue(QString()));
    QCOMPARE(object[u"rel_timestamp"_s].toDouble(), 3.0);
    const HttpReply csv = HttpClient::get(m_http->url(u"/vods/vnull/chat/export?format=csv"_s));
    QCOMPARE(csv.status, 200);
    QCOMPARE(csv.body.count("\r\n"), 2);
}

void ChatRoutesTest::badParameters()
{
    for (const QString &path : {vodPath(u"?from=abc"_s), vodPath(u"?limit=ten"_s),
                                vodPath(u"/stream?speed=fast"_s),
                                vodPath(u"/export?format=xml"_s)}) {
        const HttpReply reply = HttpClient::get(m_http->url(path));
        QCOMPARE(reply.status, 400);
        QVERIFY(!reply.json().object().value(u"message"_s).toString().isEmpty());
    }
}

void ChatRoutesTest::exports()
{
    const HttpReply json = HttpClient::get(m_http->url(vodPath(u"/export"_s)));
    QCOMPARE(json.status, 200);
    QCOMPARE(json.headers.value("content-disposition"),
             QByteArray("attachment; filename=\"chat_v1.json\""));
    QCOMPARE(json.json().array(), HttpClient::get(m_http->url(vodPath({}))).json().array());

    const HttpReply csv = HttpClient::get(m_http->url(vodPath(u"/export?format=csv"_s)));
    QCOMPARE(csv.status, 200);
    QCOMPARE(csv.headers.value("content-disposition"),
             QByteArray("attachment; filename=\"chat_v1.csv\""));
    const QList<QByteArray> lines = csv.body.split('\n');
    QVERIFY(lines.at(0).startsWith("rel_timestamp,abs_timestamp,username,display_name,message,"));
    QCOMPARE(lines.at(1), QByteArray("0.000,2024-05-01T12:00:00.000Z,viewer1,Viewer1,first,"
                                     "\"subscriber/12,moderator/1\",Kappa,#1E90FF,m1,,,\r"));
    // Quoting, a line break inside a field, and no formula for spreadsheets.
    QVERIFY(csv.body.contains(",\"third\nline\","));
    QVERIFY(csv.body.contains(",\"'=1+1, \"\"quoted\"\"\","));

    const HttpReply txt = HttpClient::get(m_http->url(vodPath(u"/export?format=txt"_s)));
    QCOMPARE(txt.status, 200);
    QCOMPARE(txt.headers.value("content-type"), QByteArray("text/plain; charset=utf-8"));
    QCOMPARE(txt.body, QByteArray("[0:00:00] Viewer1: first\n[0:00:01] Viewer1: second\n"
                                  "[0:00:02] Viewer1: third line\n"
                                  "[0:00:12] Viewer1: =1+1, \"quoted\"\n"));
}

void ChatRoutesTest::openReplay(RawHttpClient &client, const QByteArray &query,
                                const QByteArray &extraHeaders)
{
    QVERIFY(client.connectTo(m_http->port()));
    client.send("GET /vods/v1/chat/stream" + query + " HTTP/1.1\r\nHost: test\r\n" + extraHeaders
                + "\r\n");
    QVERIFY(client.waitForData("text/event-stream"));
}

void ChatRoutesTest::replayPacingAndNoTimeout()
{
    RawHttpClient client;
    QElapsedTimer clock;
    clock.start();
    openReplay(client, "?speed=2");
    // Offsets 0, 1, 2, 12 s at double speed: 0, 0.5, 1.0 and 6.0 s after the start.
    QList<qint64> arrivals;
    while (clock.elapsed() < 11000) {
        client.waitForBytes(20);
        while (arrivals.size() < eventIds(client.received()).size())
            arrivals.append(clock.elapsed());
    }
    QCOMPARE(eventIds(client.received()), m_ids);
    const QList<qint64> expected{0, 500, 1000, 6000};
    for (int i = 0; i < expected.size(); ++i) {
        QVERIFY2(qAbs(arrivals.at(i) - expected.at(i)) <= 300,
                 qPrintable(u"event %1 after %2 ms"_s.arg(i).arg(arrivals.at(i))));
    }
    // Past the 1 s request and keep-alive timeouts and the old service's 10 s write timeout:
    // still open, with heartbeats.
    QVERIFY(client.isConnected());
    QVERIFY(client.received().count(": heartbeat") >= 4);
    QVERIFY(!client.received().contains("\r\n0\r\n\r\n"));
    QVERIFY(client.received().contains("data: {\"abs_timestamp\":\"2024-05-01T12:00:12.000Z\""));

    // Caught up, it follows the VOD: a message stored now arrives without a new request.
    StoreError error;
    QCOMPARE(m_store->insert({row(u"v1"_s, 13, u"m5"_s, u"late"_s)}, &error),
             std::optional<int>(1));
    QVERIFY(client.waitForData("late", 3000));
}

void ChatRoutesTest::replayResumesAfterLastEventId()
{
    RawHttpClient client;
    openReplay(client, "?speed=100", "Last-Event-ID: " + QByteArray::number(m_ids.at(1)) + "\r\n");
    QCOMPARE(waitForEvents(client, 2), m_ids.mid(2));
}

void ChatRoutesTest::replayEndsOnClose()
{
    RawHttpClient client;
    openReplay(client, "?from=1&speed=100");
    QCOMPARE(waitForEvents(client, 3), m_ids.mid(1));
    m_streams->closeAll();
    QVERIFY(client.waitForData("\r\n0\r\n\r\n"));
}

QTEST_GUILESS_MAIN(ChatRoutesTest)
#include "chatroutes.moc"
