#include "core/db/migrationrunner.h"
#include "core/metrics/metricsregistry.h"
#include "vod/oauthtokenstore.h"
#include "vod/tokencipher.h"
#include "vod/vodengine.h"

#include "googletokenstandin.h"
#include "helixstandin.h"
#include "httpclient.h"
#include "httptestserver.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString adminToken = u"s3cret-admin-token"_s;
const QString twitchClientId = u"twitch-client-id"_s;
const QString twitchSecret = u"twitch-client-secret"_s;
const QString googleClientId = u"client-123.apps.googleusercontent.com"_s;
const QString googleSecret = u"GOCSPX-secret+/="_s;
const QString twitchRedirect = u"https://pitwall.example/auth/twitch/callback"_s;
const QString youtubeRedirect = u"https://pitwall.example/auth/youtube/callback"_s;
const QString uploadScope = u"https://www.googleapis.com/auth/youtube.upload"_s;
const QString readonlyScope = u"https://www.googleapis.com/auth/youtube.readonly"_s;

QHash<QByteArray, QByteArray> authorized()
{
    return {{"X-Admin-Token", adminToken.toUtf8()}};
}

QByteArray fixedKey()
{
    return QByteArray(TokenCipher::keyBytes, '\x5a');
}

QString formField(const QByteArray &body, const QString &name)
{
    return QUrlQuery(QString::fromUtf8(body)).queryItemValue(name, QUrl::FullyDecoded);
}

} // namespace

// The operator's OAuth flows over real HTTP with the real engine, on the real oauth_tokens
// table in the dialect under test, against the Twitch and Google token stand-ins (research
// §1.1, §1.5, §1.8, §3): the redirects, the code exchange, the encrypted row, the refusals.
class OAuthFlowTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void twitchStartRedirects();
    void startNamesMissingSettings();
    void twitchCallbackStoresEncryptedToken();
    void youtubeStartAndCallback();
    void refusedCallbacksStoreNothing();
    void exchangeFailuresStoreNothing();

private:
    VodConfig config() const;
    void start(const VodConfig &config);
    // /auth/<provider>/start's state, after checking the redirect goes to `authorize`.
    QString startFlow(const QString &provider, const QUrl &authorize);
    HttpReply callback(const QString &provider, const QString &query);
    std::optional<OAuthToken> stored(const QString &provider, StoreError *error) const;
    int storedRows() const;

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<HelixStandin> m_twitch;
    std::unique_ptr<GoogleTokenStandIn> m_google;
    std::unique_ptr<HttpTestServer> m_http;
    std::unique_ptr<VodEngine> m_engine;
};

void OAuthFlowTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_metrics = std::make_unique<MetricsRegistry>();
    m_twitch = std::make_unique<HelixStandin>(twitchClientId, twitchSecret);
    QVERIFY(m_twitch->start());
    m_google = std::make_unique<GoogleTokenStandIn>(googleClientId, googleSecret, u"unused"_s);
    QVERIFY(m_google->start());
}

void OAuthFlowTest::cleanup()
{
    m_engine.reset();
    m_http.reset();
    m_google.reset();
    m_twitch.reset();
    m_metrics.reset();
    m_testDb.reset();
}

VodConfig OAuthFlowTest::config() const
{
    VodConfig config;
    config.download.dataDir = m_testDb->scratchDir();
    config.helix = m_twitch->clientSettings();
    config.upload.tokenUrl = QUrl(m_google->tokenUrl());
    config.upload.clientId = googleClientId;
    config.upload.clientSecret = googleSecret;
    config.upload.encryptionKey = fixedKey();
    config.oauth.twitchRedirectUri = QUrl(twitchRedirect);
    config.oauth.youtubeRedirectUri = QUrl(youtubeRedirect);
    config.oauth.youtubeScopes = {uploadScope, readonlyScope};
    // Nothing answers here: the browser would show Google's consent page, the test plays it.
    config.oauth.googleAuthUrl =
            QUrl(m_google->tokenUrl().replace(u"/token"_s, u"/o/oauth2/v2/auth"_s));
    return config;
}

void OAuthFlowTest::start(const VodConfig &config)
{
    m_http = std::make_unique<HttpTestServer>(HttpLimits{}, AdminGuard(adminToken));
    m_engine = std::make_unique<VodEngine>(m_testDb->database(), m_http->router(), *m_metrics,
                                           config, u"oauth-test"_s);
    QVERIFY(m_http->start());
}

QString OAuthFlowTest::startFlow(const QString &provider, const QUrl &authorize)
{
    const HttpReply reply = HttpClient::get(m_http->url(u"/auth/%1/start"_s.arg(provider)),
                                            authorized());
    if (reply.status != 302)
        qWarning() << "start answered" << reply.status << reply.body;
    const QUrl location(QString::fromUtf8(reply.headers.value("location")));
    QUrl target = location;
    target.setQuery(QString());
    if (reply.status != 302 || target != authorize)
        return {};
    return QUrlQuery(location).queryItemValue(u"state"_s);
}

HttpReply OAuthFlowTest::callback(const QString &provider, const QString &query)
{
    return HttpClient::get(m_http->url(u"/auth/%1/callback?%2"_s.arg(provider, query)));
}

std::optional<OAuthToken> OAuthFlowTest::stored(const QString &provider, StoreError *error) const
{
    const std::optional<TokenCipher> cipher = TokenCipher::fromKey(fixedKey(), nullptr);
    return OAuthTokenStore(m_testDb->database(), &*cipher).read(provider, QString(), error);
}

int OAuthFlowTest::storedRows() const
{
    QSqlQuery query(m_testDb->database().connection());
    if (!query.exec(u"SELECT COUNT(*) FROM oauth_tokens"_s) || !query.next())
        return -1;
    return query.value(0).toInt();
}

void OAuthFlowTest::twitchStartRedirects()
{
    VodConfig settings = config();
    settings.oauth.twitchScopes = {u"chat:read"_s, u"chat:edit"_s, u"user:read:email"_s};
    start(settings);

    // Only an admin may bind the account (vod-tender's routes are open to anyone).
    QCOMPARE(HttpClient::get(m_http->url(u"/auth/twitch/start"_s)).status, 401);

    const HttpReply reply = HttpClient::get(m_http->url(u"/auth/twitch/start"_s), authorized());
    QCOMPARE(reply.status, 302);
    const QUrl location(QString::fromUtf8(reply.headers.value("location")));
    QCOMPARE(location.scheme(), u"http"_s);
    QCOMPARE(location.port(), m_twitch->baseUrl().port());
    QCOMPARE(location.path(), u"/oauth2/authorize"_s);
    const QUrlQuery query(location);
    QCOMPARE(query.queryItemValue(u"response_type"_s), u"code"_s);
    QCOMPARE(query.queryItemValue(u"client_id"_s), twitchClientId);
    QCOMPARE(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded), twitchRedirect);
    QCOMPARE(query.queryItemValue(u"scope"_s, QUrl::FullyDecoded),
             u"chat:read chat:edit user:read:email"_s);
    // Google's extras are not sent to Twitch.
    QVERIFY(!query.hasQueryItem(u"access_type"_s));
    const QString state = query.queryItemValue(u"state"_s);
    QVERIFY2(QRegularExpression(u"^[0-9a-f]{32}$"_s).match(state).hasMatch(), qPrintable(state));

    // Every start hands out its own state.
    const QString second = startFlow(u"twitch"_s, m_twitch->clientSettings().authorizeEndpoint());
    QVERIFY(!second.isEmpty());
    QVERIFY(second != state);
    QCOMPARE(m_twitch->count(HelixStandin::tokenPath), 0);
}

void OAuthFlowTest::startNamesMissingSettings()
{
    VodConfig settings = config();
    settings.helix.clientId.clear();
    settings.oauth.twitchRedirectUri.clear();
    settings.upload.clientSecret.clear();
    start(settings);

    HttpReply reply = HttpClient::get(m_http->url(u"/auth/twitch/start"_s), authorized());
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().object().value(u"message"_s).toString(),
             u"twitch OAuth is not configured: set TWITCH_CLIENT_ID, TWITCH_REDIRECT_URI"_s);
    reply = HttpClient::get(m_http->url(u"/auth/youtube/start"_s), authorized());
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().object().value(u"message"_s).toString(),
             u"youtube OAuth is not configured: set YT_CLIENT_SECRET"_s);
}

void OAuthFlowTest::twitchCallbackStoresEncryptedToken()
{
    start(config());
    const QString state = startFlow(u"twitch"_s, m_twitch->clientSettings().authorizeEndpoint());
    QVERIFY(!state.isEmpty());
    m_twitch->addAuthorizationCode(u"c0de-1"_s, twitchRedirect, u"user-access-token-1"_s,
                                   u"user-refresh-token-1"_s, {u"chat:read"_s, u"chat:edit"_s});

    const QDateTime before = QDateTime::currentDateTimeUtc();
    HttpReply reply = callback(u"twitch"_s, u"code=c0de-1&scope=chat%3Aread&state="_s + state);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object(),
             (QJsonObject{{u"status"_s, u"ok"_s},
                          {u"scopes"_s, QJsonArray{u"chat:read"_s, u"chat:edit"_s}},
                          {u"expires_in"_s, 3600}}));

    // The exchange Twitch expects: the authorization_code grant with the same redirect_uri.
    const QList<HelixStandin::Request> grants = m_twitch->requests(HelixStandin::tokenPath);
    QCOMPARE(grants.size(), 1);
    QCOMPARE(formField(grants[0].body, u"grant_type"_s), u"authorization_code"_s);
    QCOMPARE(formField(grants[0].body, u"code"_s), u"c0de-1"_s);
    QCOMPARE(formField(grants[0].body, u"redirect_uri"_s), twitchRedirect);
    QCOMPARE(formField(grants[0].body, u"client_id"_s), twitchClientId);
    QCOMPARE(formField(grants[0].body, u"client_secret"_s), twitchSecret);

    // At rest the row is ciphertext; with the key it is the stand-in's token.
    QSqlQuery raw(m_testDb->database().connection());
    QVERIFY(raw.exec(u"SELECT access_token, refresh_token, encryption_version, channel "
                     "FROM oauth_tokens WHERE provider = 'twitch'"_s));
    QVERIFY(raw.next());
    QVERIFY(!raw.value(0).toString().contains(u"user-access"_s));
    QVERIFY(!raw.value(1).toString().contains(u"user-refresh"_s));
    QCOMPARE(raw.value(2).toInt(), 1);
    QCOMPARE(raw.value(3).toString(), QString());
    raw.finish();
    StoreError error;
    const std::optional<OAuthToken> token = stored(OAuthToken::twitch, &error);
    QVERIFY2(token, qPrintable(error.message));
    QCOMPARE(token->accessToken, u"user-access-token-1"_s);
    QCOMPARE(token->refreshToken, u"user-refresh-token-1"_s);
    QCOMPARE(token->scope, u"chat:read chat:edit"_s);
    QVERIFY(token->expiresAt >= before.addSecs(3599));
    QVERIFY(token->expiresAt <= QDateTime::currentDateTimeUtc().addSecs(3601));

    // The state was good for one callback: a replay is refused before Twitch is asked again.
    reply = callback(u"twitch"_s, u"code=c0de-1&state="_s + state);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json().object().value(u"message"_s).toString(), u"invalid state"_s);
    QCOMPARE(m_twitch->count(HelixStandin::tokenPath), 1);
    QCOMPARE(storedRows(), 1);
}

void OAuthFlowTest::youtubeStartAndCallback()
{
    start(config());
    const QUrl authorize = config().oauth.googleAuthUrl;
    const HttpReply redirect = HttpClient::get(m_http->url(u"/auth/youtube/start"_s), authorized());
    QCOMPARE(redirect.status, 302);
    const QUrl location(QString::fromUtf8(redirect.headers.value("location")));
    QCOMPARE(location.path(), authorize.path());
    const QUrlQuery query(location);
    QCOMPARE(query.queryItemValue(u"response_type"_s), u"code"_s);
    QCOMPARE(query.queryItemValue(u"client_id"_s, QUrl::FullyDecoded), googleClientId);
    QCOMPARE(query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded), youtubeRedirect);
    QCOMPARE(query.queryItemValue(u"scope"_s, QUrl::FullyDecoded),
             uploadScope + u" "_s + readonlyScope);
    QCOMPARE(query.queryItemValue(u"access_type"_s), u"offline"_s);
    QCOMPARE(query.queryItemValue(u"prompt"_s), u"consent"_s);
    const QString state = query.queryItemValue(u"state"_s);
    QCOMPARE(state.size(), 32);

    m_google->addAuthorizationCode(u"4/0AX4XfWg"_s, youtubeRedirect,
                                   {{u"access_token"_s, u"ya29.access-from-code"_s},
                                    {u"expires_in"_s, 3599},
                                    {u"refresh_token"_s, u"1//refresh-from-code"_s},
                                    {u"scope"_s, uploadScope},
                                    {u"token_type"_s, u"Bearer"_s}});
    const QDateTime before = QDateTime::currentDateTimeUtc();
    // Google's codes carry a '/', percent-encoded in the redirect.
    const HttpReply reply = callback(
            u"youtube"_s, u"state="_s + state + u"&code=4%2F0AX4XfWg&scope="_s
                                  + QString::fromLatin1(QUrl::toPercentEncoding(uploadScope)));
    QCOMPARE(reply.status, 200);
    const QJsonObject answer = reply.json().object();
    QCOMPARE(answer.value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(answer.value(u"access_token_present"_s), QJsonValue(true));
    QCOMPARE(answer.value(u"refresh_token_present"_s), QJsonValue(true));
    const QDateTime expiry =
            QDateTime::fromString(answer.value(u"expiry"_s).toString(), Qt::ISODate);
    QVERIFY2(expiry >= before.addSecs(3598), qPrintable(answer.value(u"expiry"_s).toString()));

    QCOMPARE(m_google->forms().size(), 1);
    QCOMPARE(m_google->forms()[0].queryItemValue(u"grant_type"_s), u"authorization_code"_s);
    StoreError error;
    const std::optional<OAuthToken> token = stored(OAuthToken::youtube, &error);
    QVERIFY2(token, qPrintable(error.message));
    QCOMPARE(token->accessToken, u"ya29.access-from-code"_s);
    QCOMPARE(token->refreshToken, u"1//refresh-from-code"_s);
    QCOMPARE(token->scope, uploadScope);
    QCOMPARE(token->expiresAt.toSecsSinceEpoch(), expiry.toSecsSinceEpoch());
    QCOMPARE(storedRows(), 1);
}

void OAuthFlowTest::refusedCallbacksStoreNothing()
{
    start(config());
    m_twitch->addAuthorizationCode(u"good"_s, twitchRedirect, u"user-access-token-2"_s,
                                   u"user-refresh-token-2"_s, {u"chat:read"_s});
    const QString twitchState =
            startFlow(u"twitch"_s, m_twitch->clientSettings().authorizeEndpoint());
    const QString youtubeState = startFlow(u"youtube"_s, config().oauth.googleAuthUrl);
    QVERIFY(!twitchState.isEmpty());
    QVERIFY(!youtubeState.isEmpty());

    const auto message = [](const HttpReply &reply) {
        return std::pair{reply.status, reply.json().object().value(u"message"_s).toString()};
    };
    const std::pair missing{400, u"missing code/state"_s};
    const std::pair invalid{400, u"invalid state"_s};
    QCOMPARE(message(callback(u"twitch"_s, u"state="_s + twitchState)), missing);
    QCOMPARE(message(callback(u"twitch"_s, u"code=good"_s)), missing);
    QCOMPARE(message(callback(u"twitch"_s, u"code=good&state="_s)), missing);
    QCOMPARE(message(callback(u"twitch"_s, u"code=good&state=0123456789abcdef0123456789abcdef"_s)),
             invalid);
    // A state is bound to the provider it was issued for, and spent by the attempt.
    QCOMPARE(message(callback(u"twitch"_s, u"code=good&state="_s + youtubeState)), invalid);
    QCOMPARE(message(callback(u"youtube"_s, u"code=good&state="_s + youtubeState)), invalid);
    // The operator declined at Twitch: reported, and that state is spent too.
    const HttpReply declined = callback(
            u"twitch"_s, u"error=access_denied&error_description=denied&state="_s + twitchState);
    QCOMPARE(declined.status, 400);
    QVERIFY2(declined.body.contains("access_denied"), declined.body.constData());
    QCOMPARE(message(callback(u"twitch"_s, u"code=good&state="_s + twitchState)), invalid);

    QCOMPARE(m_twitch->count(HelixStandin::tokenPath), 0);
    QCOMPARE(m_google->forms().size(), 0);
    QCOMPARE(storedRows(), 0);
}

void OAuthFlowTest::exchangeFailuresStoreNothing()
{
    start(config());
    const QUrl twitchAuthorize = m_twitch->clientSettings().authorizeEndpoint();
    const QUrl googleAuthorize = config().oauth.googleAuthUrl;

    // A code Twitch does not know.
    HttpReply reply =
            callback(u"twitch"_s,
                     u"code=forged&state="_s + startFlow(u"twitch"_s, twitchAuthorize));
    QCOMPARE(reply.status, 502);
    QCOMPARE(reply.json().object().value(u"message"_s).toString(),
             u"twitch token exchange failed: token endpoint answered HTTP 400 Bad Request: "
             "Invalid authorization code"_s);

    // Twitch is down.
    m_twitch->addAuthorizationCode(u"good"_s, twitchRedirect, u"user-access-token-3"_s,
                                   u"user-refresh-token-3"_s, {u"chat:read"_s});
    m_twitch->enqueue(HelixStandin::tokenPath, 503);
    reply = callback(u"twitch"_s, u"code=good&state="_s + startFlow(u"twitch"_s, twitchAuthorize));
    QCOMPARE(reply.status, 502);
    QVERIFY2(reply.body.contains("HTTP 503"), reply.body.constData());

    // Google refuses the code.
    m_google->failNext(1, 400, u"invalid_grant"_s);
    reply = callback(u"youtube"_s,
                     u"code=expired&state="_s + startFlow(u"youtube"_s, googleAuthorize));
    QCOMPARE(reply.status, 502);
    QCOMPARE(reply.json().object().value(u"message"_s).toString(),
             u"youtube token exchange failed: token endpoint answered HTTP 400 invalid_grant: "
             "scripted failure"_s);

    // Google is unreachable.
    m_google.reset();
    reply = callback(u"youtube"_s, u"code=any&state="_s + startFlow(u"youtube"_s, googleAuthorize));
    QCOMPARE(reply.status, 502);
    QVERIFY2(reply.body.contains("token endpoint unreachable"), reply.body.constData());

    QCOMPARE(m_twitch->count(HelixStandin::tokenPath), 2);
    QCOMPARE(storedRows(), 0);
}

QTEST_GUILESS_MAIN(OAuthFlowTest)
#include "oauthflow.moc"
