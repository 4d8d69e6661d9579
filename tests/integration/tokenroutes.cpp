#include "core/db/migrationrunner.h"
#include "relay/tokenroutes.h"
#include "relay/tokenstore.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "postgrescluster.h"
#include "testdatabase.h"
#include "testenvironment.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString scenarioToken = u"fwd-export-token-01"_s;

HttpReply post(HttpTestServer &http, const QString &path, const QByteArray &body = {},
               QHash<QByteArray, QByteArray> headers = {})
{
    headers.insert("Content-Type", "application/json");
    return HttpClient::request("POST", http.url(path), headers, body);
}

HttpReply createToken(HttpTestServer &http, const QJsonObject &body,
                      const QHash<QByteArray, QByteArray> &headers = {})
{
    return post(http, u"/api/v1/admin/tokens"_s, QJsonDocument(body).toJson(), headers);
}

QJsonObject envelope(const QString &code, const QString &message)
{
    return QJsonObject{{u"code"_s, code}, {u"message"_s, message}};
}

bool migrate(Database &database)
{
    QString error;
    if (MigrationRunner().run(database.connection(), &error))
        return true;
    qWarning().noquote() << error;
    return false;
}

// Every token route answers 503 SERVICE_UNAVAILABLE while the database cannot be reached.
void expectUnavailable(HttpTestServer &http)
{
    const QJsonObject unavailable = envelope(u"SERVICE_UNAVAILABLE"_s, u"database unavailable"_s);
    const QList<HttpReply> replies{
        createToken(http, {{u"device_type"_s, u"receiver"_s}, {u"device_id"_s, u"r"_s}}),
        HttpClient::get(http.url(u"/api/v1/admin/tokens"_s)),
        post(http, u"/api/v1/admin/tokens/%1/revoke"_s.arg(QUuid::createUuid().toString(
                                                                 QUuid::WithoutBraces))),
        HttpClient::request("DELETE", http.url(u"/api/v1/admin/tokens"_s)),
    };
    for (const HttpReply &reply : replies) {
        QCOMPARE(reply.status, 503);
        QCOMPARE(reply.json().object(), unavailable);
    }
}

} // namespace

// The admin token API over real HTTP, on the real table in the dialect under test.
class TokenRoutesTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void provisioningScenario();
    void generatedReceiverToken();
    void validation_data();
    void validation();
    void revoke();
    void deleteAll();
    void routesAreAdminOnly();
    void adminTokenRequiredWhenConfigured();
    void databaseUnreachable();

private:
    void start(const QString &adminToken = {});

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<TokenStore> m_store;
    std::unique_ptr<HttpTestServer> m_http;
};

void TokenRoutesTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QVERIFY(migrate(m_testDb->database()));
    m_store = std::make_unique<TokenStore>(m_testDb->database());
}

void TokenRoutesTest::cleanup()
{
    m_http.reset();
    m_store.reset();
    m_testDb.reset();
}

void TokenRoutesTest::start(const QString &adminToken)
{
    m_http = std::make_unique<HttpTestServer>(HttpLimits{}, adminToken);
    registerTokenRoutes(m_http->router(), *m_store);
    QVERIFY(m_http->start());
}

void TokenRoutesTest::provisioningScenario()
{
    start();
    const QJsonObject request{{u"device_type"_s, u"forwarder"_s},
                              {u"device_id"_s, u"x"_s},
                              {u"token"_s, scenarioToken}};
    const HttpReply created = createToken(*m_http, request);
    QCOMPARE(created.status, 201);
    QCOMPARE(created.headers.value("content-type"), QByteArray("application/json"));
    QJsonObject body = created.json().object();
    const QString tokenId = body.take(u"token_id"_s).toString();
    QVERIFY2(!QUuid::fromString(tokenId).isNull(), qPrintable(tokenId));
    QCOMPARE(tokenId, QUuid::fromString(tokenId).toString(QUuid::WithoutBraces));
    QCOMPARE(body, (QJsonObject{{u"device_id"_s, u"fwd-2cb60cb5ec9935be"_s},
                                {u"device_type"_s, u"forwarder"_s},
                                {u"token"_s, scenarioToken}}));

    const HttpReply again = createToken(*m_http, request);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.json().object(),
             envelope(u"CONFLICT"_s, u"a token with this value already exists"_s));

    const HttpReply listed = HttpClient::get(m_http->url(u"/api/v1/admin/tokens"_s));
    QCOMPARE(listed.status, 200);
    const QJsonArray tokens = listed.json().object().value(u"tokens"_s).toArray();
    QCOMPARE(tokens.size(), 1);
    QJsonObject token = tokens.first().toObject();
    const QDateTime createdAt =
        QDateTime::fromString(token.take(u"created_at"_s).toString(), Qt::ISODateWithMs);
    QVERIFY(createdAt.isValid());
    QVERIFY(qAbs(createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(token, (QJsonObject{{u"token_id"_s, tokenId},
                                 {u"device_type"_s, u"forwarder"_s},
                                 {u"device_id"_s, u"fwd-2cb60cb5ec9935be"_s},
                                 {u"revoked"_s, false}}));
    QVERIFY(m_store->authenticate(scenarioToken));
}

void TokenRoutesTest::generatedReceiverToken()
{
    start();
    const HttpReply created =
        createToken(*m_http, {{u"device_type"_s, u"receiver"_s}, {u"device_id"_s, u" rcv-1 "_s},
                              {u"token"_s, QJsonValue::Null}});
    QCOMPARE(created.status, 201);
    const QJsonObject body = created.json().object();
    QCOMPARE(body.value(u"device_id"_s).toString(), u"rcv-1"_s);
    QCOMPARE(body.value(u"device_type"_s).toString(), u"receiver"_s);
    const QString token = body.value(u"token"_s).toString();
    QVERIFY2(QRegularExpression(u"^[A-Za-z0-9_-]{43}$"_s).match(token).hasMatch(),
             qPrintable(token));
    const auto identity = m_store->authenticate(token);
    QVERIFY(identity);
    QCOMPARE(identity->tokenId, body.value(u"token_id"_s).toString());
}

void TokenRoutesTest::validation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad type") << QByteArray(R"({"device_type":"sensor","device_id":"x"})")
                              << u"device_type must be \"forwarder\" or \"receiver\""_s;
    QTest::newRow("no type") << QByteArray(R"({"device_id":"x"})")
                             << u"device_type must be \"forwarder\" or \"receiver\""_s;
    QTest::newRow("numeric type") << QByteArray(R"({"device_type":1,"device_id":"x"})")
                                  << u"device_type must be \"forwarder\" or \"receiver\""_s;
    QTest::newRow("no id") << QByteArray(R"({"device_type":"receiver"})")
                           << u"device_id must not be empty"_s;
    QTest::newRow("blank id") << QByteArray(R"({"device_type":"forwarder","device_id":"  "})")
                              << u"device_id must not be empty"_s;
    QTest::newRow("numeric id") << QByteArray(R"({"device_type":"receiver","device_id":7})")
                                << u"device_id must be a string"_s;
    QTest::newRow("blank token")
        << QByteArray(R"({"device_type":"receiver","device_id":"r","token":" \t "})")
        << u"token must not be empty or whitespace"_s;
    QTest::newRow("weak token")
        << QByteArray(R"({"device_type":"receiver","device_id":"r","token":"short-token"})")
        << u"token must be at least 16 characters"_s;
    QTest::newRow("numeric token")
        << QByteArray(R"({"device_type":"receiver","device_id":"r","token":12345})")
        << u"token must be a string"_s;
    QTest::newRow("not json") << QByteArray("device_type=receiver")
                              << u"request body must be a JSON object"_s;
    QTest::newRow("array") << QByteArray("[]") << u"request body must be a JSON object"_s;
    QTest::newRow("empty") << QByteArray() << u"request body must be a JSON object"_s;
}

void TokenRoutesTest::validation()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    start();
    const HttpReply reply = post(*m_http, u"/api/v1/admin/tokens"_s, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().object(), envelope(u"BAD_REQUEST"_s, message));
    QVERIFY(m_store->list(nullptr)->isEmpty());
}

void TokenRoutesTest::revoke()
{
    start();
    const HttpReply created = createToken(
        *m_http, {{u"device_type"_s, u"forwarder"_s}, {u"device_id"_s, u"x"_s},
                  {u"token"_s, scenarioToken}});
    QCOMPARE(created.status, 201);
    const QString path =
        u"/api/v1/admin/tokens/%1/revoke"_s.arg(created.json()[u"token_id"_s].toString());

    const HttpReply revoked = post(*m_http, path);
    QCOMPARE(revoked.status, 204);
    QVERIFY(revoked.body.isEmpty());
    QVERIFY(!m_store->authenticate(scenarioToken));
    const QJsonArray tokens =
        HttpClient::get(m_http->url(u"/api/v1/admin/tokens"_s)).json()[u"tokens"_s].toArray();
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens.first()[u"revoked"_s].toBool(), true);

    const QJsonObject notFound =
        envelope(u"NOT_FOUND"_s, u"token not found or already revoked"_s);
    const HttpReply again = post(*m_http, path);
    QCOMPARE(again.status, 404);
    QCOMPARE(again.json().object(), notFound);
    const QString unknownId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const HttpReply unknown = post(*m_http, u"/api/v1/admin/tokens/%1/revoke"_s.arg(unknownId));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json().object(), notFound);
    const HttpReply malformed = post(*m_http, u"/api/v1/admin/tokens/42/revoke"_s);
    QCOMPARE(malformed.status, 400);
    QCOMPARE(malformed.json().object(), envelope(u"BAD_REQUEST"_s, u"token_id must be a UUID"_s));
}

void TokenRoutesTest::deleteAll()
{
    start();
    for (const char *type : {"forwarder", "receiver"}) {
        const HttpReply created = createToken(
            *m_http, {{u"device_type"_s, QLatin1String(type)}, {u"device_id"_s, u"d"_s}});
        QCOMPARE(created.status, 201);
    }
    const HttpReply deleted = HttpClient::request("DELETE", m_http->url(u"/api/v1/admin/tokens"_s));
    QCOMPARE(deleted.status, 204);
    const HttpReply listed = HttpClient::get(m_http->url(u"/api/v1/admin/tokens"_s));
    QCOMPARE(listed.json().object(), (QJsonObject{{u"tokens"_s, QJsonArray()}}));
}

void TokenRoutesTest::routesAreAdminOnly()
{
    start();
    const QList<Router::RouteInfo> routes = m_http->router().routes();
    QCOMPARE(routes.size(), 4);
    for (const Router::RouteInfo &route : routes)
        QVERIFY2(route.admin, qPrintable(QString::fromLatin1(route.method) + u' ' + route.pattern));
    // Without ADMIN_TOKEN a remote peer is refused; the test client itself is always loopback.
    HttpRequest request;
    request.method = "POST";
    request.setTarget("/api/v1/admin/tokens");
    request.peerAddress = QHostAddress(u"192.0.2.10"_s);
    const Router::Match match = m_http->router().match(request.method, request.rawPath);
    QCOMPARE(match.outcome, Router::Match::Outcome::Found);
    QVERIFY(match.options.admin);
    const std::optional<HttpResponse> refused = m_http->router().adminGuard().check(request);
    QVERIFY(refused);
    QCOMPARE(refused->status(), 403);
}

void TokenRoutesTest::adminTokenRequiredWhenConfigured()
{
    start(u"admin-s3cret"_s);
    const QJsonObject request{{u"device_type"_s, u"receiver"_s}, {u"device_id"_s, u"r"_s}};
    QCOMPARE(createToken(*m_http, request).status, 401);
    QCOMPARE(createToken(*m_http, request, {{"X-Admin-Token", "wrong"}}).status, 401);
    QCOMPARE(HttpClient::get(m_http->url(u"/api/v1/admin/tokens"_s)).status, 401);
    QVERIFY(m_store->list(nullptr)->isEmpty());
    QCOMPARE(createToken(*m_http, request, {{"X-Admin-Token", "admin-s3cret"}}).status, 201);
    const HttpReply listed = HttpClient::get(m_http->url(u"/api/v1/admin/tokens"_s),
                                             {{"Authorization", "Bearer admin-s3cret"}});
    QCOMPARE(listed.status, 200);
    QCOMPARE(listed.json()[u"tokens"_s].toArray().size(), 1);
}

void TokenRoutesTest::databaseUnreachable()
{
    if (TestEnvironment::dialect() == u"sqlite") {
        // SQLite has no server to stop: a database file that cannot be opened (its directory
        // would have to be created inside a regular file) is the unreachable case.
        const QString blocker = m_testDb->scratchDir() + u"/not-a-directory"_s;
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QString error;
        const auto settings =
            DatabaseSettings::parse(u"sqlite://"_s + blocker + u"/relay.db"_s, {}, &error);
        QVERIFY2(settings, qPrintable(error));
        Database unreachable(*settings, u"unreachable"_s);
        m_store = std::make_unique<TokenStore>(unreachable);
        start();
        expectUnavailable(*m_http);
        if (QTest::currentTestFailed())
            return;
        TokenError failure;
        QVERIFY(!m_store->authenticate(scenarioToken, &failure));
        QCOMPARE(failure.kind, TokenError::Kind::Unavailable);
        m_http.reset();
        m_store.reset();
        return;
    }
    if (!PostgresCluster::serverAvailable())
        QSKIP("PostgreSQL server binaries are not installed");
    PostgresCluster cluster;
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    const auto settings =
        DatabaseSettings::parse(cluster.url() + u"?connect_timeout=2"_s, {}, &error);
    QVERIFY2(settings, qPrintable(error));
    Database database(*settings, u"stoppable"_s);
    QVERIFY(migrate(database));
    m_store = std::make_unique<TokenStore>(database);
    start();
    QCOMPARE(createToken(*m_http, {{u"device_type"_s, u"forwarder"_s}, {u"device_id"_s, u"x"_s},
                                   {u"token"_s, scenarioToken}})
                 .status,
             201);

    QVERIFY2(cluster.stop(&error), qPrintable(error));
    expectUnavailable(*m_http);
    if (QTest::currentTestFailed())
        return;
    TokenError failure;
    QVERIFY(!m_store->authenticate(scenarioToken, &failure));
    QCOMPARE(failure.kind, TokenError::Kind::Unavailable);

    // Back up: the next request reconnects.
    QVERIFY2(cluster.start(&error), qPrintable(error));
    const HttpReply listed = HttpClient::get(m_http->url(u"/api/v1/admin/tokens"_s));
    QCOMPARE(listed.status, 200);
    QCOMPARE(listed.json()[u"tokens"_s].toArray().size(), 1);
    QVERIFY(m_store->authenticate(scenarioToken));
    m_http.reset();
    m_store.reset();
}

QTEST_GUILESS_MAIN(TokenRoutesTest)
#include "tokenroutes.moc"
