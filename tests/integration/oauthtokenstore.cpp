#include "core/db/migrationrunner.h"
#include "vod/oauthrefresher.h"
#include "vod/oauthtokenstore.h"
#include "vod/tokencipher.h"

#include "googletokenstandin.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::OAuthToken)

namespace {

const QString clientId = u"client-123.apps.googleusercontent.com"_s;
const QString clientSecret = u"GOCSPX-secret+/="_s;

TokenCipher cipherFrom(const QByteArray &key)
{
    return *TokenCipher::fromKey(key, nullptr);
}

QByteArray randomKey()
{
    QByteArray key(TokenCipher::keyBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()),
                                          key.size() / sizeof(quint32));
    return key;
}

// The row as stored: access, refresh, scope, version, key id.
struct RawRow
{
    QString access;
    QString refresh;
    QString scope;
    int version = -1;
    QVariant keyId;
};

} // namespace

// OAuthTokenStore on the real table of migration 0007 and OAuthRefresher against the Google
// token stand-in (research §1.8, scenario 14), in the dialect under test.
class OAuthTokenStoreTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void refresherRenewsEncryptedToken();
    void plaintextRowsStayReadable();
    void vodTenderRowDecrypts();
    void emptyStringsAreNotEncrypted();
    void withoutKeyWritesPlaintext();
    void missingRowIsNotFound();
    void ensureFreshKeepsValidToken();
    void ensureFreshRenewsExpiringToken();
    void ensureFreshReportsRefreshFailure();

private:
    RawRow rawRow(const QString &channel = u""_s) const;
    void writeToken(const TokenCipher *cipher, const QString &channel, const QDateTime &expiresAt);
    UploadSettings settings() const;

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<GoogleTokenStandIn> m_google;
    QByteArray m_key;
    std::optional<TokenCipher> m_cipher;
};

void OAuthTokenStoreTest::initTestCase()
{
    qRegisterMetaType<Pitwall::OAuthToken>();
}

void OAuthTokenStoreTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_google = std::make_unique<GoogleTokenStandIn>(clientId, clientSecret, u"R0"_s);
    m_google->setResponse({{u"access_token"_s, u"A1"_s}, {u"expires_in"_s, 3600}});
    QVERIFY(m_google->start());
    m_key = randomKey();
    m_cipher = cipherFrom(m_key);
}

void OAuthTokenStoreTest::cleanup()
{
    m_google.reset();
    m_testDb.reset();
}

RawRow OAuthTokenStoreTest::rawRow(const QString &channel) const
{
    QSqlQuery query(m_testDb->database().connection());
    query.prepare(u"SELECT access_token, refresh_token, scope, encryption_version, "
                  "encryption_key_id FROM oauth_tokens WHERE provider = 'youtube' AND channel = ?"_s);
    query.addBindValue(channel);
    if (!query.exec() || !query.next())
        return {};
    return {query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
            query.value(3).toInt(), query.value(4)};
}

void OAuthTokenStoreTest::writeToken(const TokenCipher *cipher, const QString &channel,
                                     const QDateTime &expiresAt)
{
    StoreError error;
    const OAuthToken token{OAuthToken::youtube, channel, u"A0"_s, u"R0"_s,
                           u"https://www.googleapis.com/auth/youtube.upload"_s, expiresAt, {}};
    QVERIFY2(OAuthTokenStore(m_testDb->database(), cipher).write(token, &error),
             qPrintable(error.message));
}

UploadSettings OAuthTokenStoreTest::settings() const
{
    UploadSettings settings;
    settings.tokenUrl = QUrl(m_google->tokenUrl());
    settings.clientId = clientId;
    settings.clientSecret = clientSecret;
    settings.refreshInterval = std::chrono::milliseconds(200);
    return settings;
}

void OAuthTokenStoreTest::refresherRenewsEncryptedToken()
{
    writeToken(&*m_cipher, {}, QDateTime::currentDateTimeUtc().addSecs(5 * 60));
    const RawRow before = rawRow();
    QCOMPARE(before.version, 1);
    QCOMPARE(QByteArray::fromBase64(before.access.toLatin1()).size(), 12 + 2 + 16);

    OAuthRefresher refresher(m_testDb->database(), &*m_cipher, settings());
    QSignalSpy refreshed(&refresher, &OAuthRefresher::tokenRefreshed);
    refresher.start();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    const QDateTime refreshedAt = QDateTime::currentDateTimeUtc();

    const RawRow after = rawRow();
    QCOMPARE(after.version, 1);
    QCOMPARE(after.keyId.toString(), u"default"_s);
    QVERIFY(after.access != before.access);
    QCOMPARE(QByteArray::fromBase64(after.access.toLatin1()).size(), 12 + 16 + 2);
    QCOMPARE(m_cipher->decrypt(after.access, nullptr), std::optional(u"A1"_s));
    QCOMPARE(m_cipher->decrypt(after.refresh, nullptr), std::optional(u"R0"_s));
    StoreError error;
    const std::optional<OAuthToken> token =
            OAuthTokenStore(m_testDb->database(), &*m_cipher).read(OAuthToken::youtube, {}, &error);
    QVERIFY2(token, qPrintable(error.message));
    QCOMPARE(token->accessToken, u"A1"_s);
    QCOMPARE(token->refreshToken, u"R0"_s);
    QCOMPARE(token->scope, u"https://www.googleapis.com/auth/youtube.upload"_s);
    QVERIFY(qAbs(token->expiresAt.secsTo(refreshedAt.addSecs(3600))) < 60);

    const QUrlQuery form = m_google->forms().constFirst();
    QCOMPARE(form.queryItemValue(u"grant_type"_s), u"refresh_token"_s);
    QCOMPARE(form.queryItemValue(u"refresh_token"_s), u"R0"_s);
    QCOMPARE(form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded), clientSecret);
    // Fresh for an hour now: further passes leave it alone.
    QTest::qWait(1000);
    QCOMPARE(m_google->forms().size(), 1);

    // A wrong key, or none, never yields a token: the uploader gets an error instead.
    const TokenCipher wrong = cipherFrom(randomKey());
    QVERIFY(!OAuthTokenStore(m_testDb->database(), &wrong).read(OAuthToken::youtube, {}, &error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY2(error.message.contains(u"wrong ENCRYPTION_KEY"_s), qPrintable(error.message));
    QVERIFY(!OAuthTokenStore(m_testDb->database(), nullptr).read(OAuthToken::youtube, {}, &error));
    QVERIFY2(error.message.contains(u"ENCRYPTION_KEY is not set"_s), qPrintable(error.message));
    OAuthRefresher wrongKey(m_testDb->database(), &wrong, settings());
    QSignalSpy unavailable(&wrongKey, &OAuthRefresher::tokenUnavailable);
    wrongKey.ensureFresh({});
    QTRY_COMPARE(unavailable.count(), 1);
    QVERIFY(unavailable.constFirst().at(1).toString().contains(u"wrong ENCRYPTION_KEY"_s));
}

void OAuthTokenStoreTest::plaintextRowsStayReadable()
{
    // As vod-tender writes rows without a key, and as rows were before ENCRYPTION_KEY was set.
    QSqlQuery insert(m_testDb->database().connection());
    QVERIFY(insert.exec(u"INSERT INTO oauth_tokens (provider, channel, access_token, "
                        "refresh_token, scope, encryption_version) "
                        "VALUES ('youtube', '', 'plainA', 'plainR', 'scope', 0)"_s));
    StoreError error;
    for (const TokenCipher *cipher : {static_cast<const TokenCipher *>(&*m_cipher),
                                      static_cast<const TokenCipher *>(nullptr)}) {
        const std::optional<OAuthToken> token =
                OAuthTokenStore(m_testDb->database(), cipher).read(OAuthToken::youtube, {}, &error);
        QVERIFY2(token, qPrintable(error.message));
        QCOMPARE(token->accessToken, u"plainA"_s);
        QCOMPARE(token->refreshToken, u"plainR"_s);
        QVERIFY(!token->expiresAt.isValid());
    }
    // Written back with a key, the row becomes encrypted.
    writeToken(&*m_cipher, {}, QDateTime::currentDateTimeUtc().addSecs(3600));
    QCOMPARE(rawRow().version, 1);
    QVERIFY(rawRow().access != u"A0"_s);
}

void OAuthTokenStoreTest::vodTenderRowDecrypts()
{
    // Sealed by an independent AES-GCM implementation under bytes 0..31 (see tst_tokencipher).
    QSqlQuery insert(m_testDb->database().connection());
    QVERIFY(insert.exec(u"INSERT INTO oauth_tokens (provider, channel, access_token, "
                        "refresh_token, scope, encryption_version, encryption_key_id) "
                        "VALUES ('youtube', '', 'AAECAwQFBgcICQoLPmPkIuuTrX+gNfLl1YwKQOK15FGDCHk"
                        "oXnoBAfA1NCvRtAOKDzY=', '', '', 1, 'default')"_s));
    QByteArray key;
    for (int i = 0; i < TokenCipher::keyBytes; ++i)
        key.append(char(i));
    const TokenCipher cipher = cipherFrom(key);
    StoreError error;
    const std::optional<OAuthToken> token =
            OAuthTokenStore(m_testDb->database(), &cipher).read(OAuthToken::youtube, {}, &error);
    QVERIFY2(token, qPrintable(error.message));
    QCOMPARE(token->accessToken, u"ya29.vod-tender-access"_s);
    QCOMPARE(token->refreshToken, QString());
}

void OAuthTokenStoreTest::emptyStringsAreNotEncrypted()
{
    StoreError error;
    const OAuthToken token{OAuthToken::youtube, {}, u"A0"_s, {}, {}, {}, {}};
    QVERIFY(OAuthTokenStore(m_testDb->database(), &*m_cipher).write(token, &error));
    const RawRow row = rawRow();
    QCOMPARE(row.version, 1);
    QCOMPARE(row.refresh, QString());
    QCOMPARE(row.scope, QString());
    QCOMPARE(m_cipher->decrypt(row.access, nullptr), std::optional(u"A0"_s));
}

void OAuthTokenStoreTest::withoutKeyWritesPlaintext()
{
    writeToken(nullptr, u"alice"_s, QDateTime::currentDateTimeUtc().addSecs(60));
    const RawRow row = rawRow(u"alice"_s);
    QCOMPARE(row.version, 0);
    QVERIFY(row.keyId.isNull());
    QCOMPARE(row.access, u"A0"_s);
    QCOMPARE(row.refresh, u"R0"_s);
}

void OAuthTokenStoreTest::missingRowIsNotFound()
{
    StoreError error;
    QVERIFY(!OAuthTokenStore(m_testDb->database(), &*m_cipher)
                     .read(OAuthToken::youtube, u"nobody"_s, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
}

void OAuthTokenStoreTest::ensureFreshKeepsValidToken()
{
    writeToken(&*m_cipher, {}, QDateTime::currentDateTimeUtc().addSecs(3600));
    OAuthRefresher refresher(m_testDb->database(), &*m_cipher, settings());
    QSignalSpy ready(&refresher, &OAuthRefresher::tokenReady);
    // A channel without its own row gets the shared one.
    refresher.ensureFresh(u"alice"_s);
    QCOMPARE(ready.count(), 0); // answered from the event loop, never inside the call
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(ready.constFirst().at(0).toString(), u"alice"_s);
    QCOMPARE(ready.constFirst().at(1).value<OAuthToken>().accessToken, u"A0"_s);
    QVERIFY(m_google->forms().isEmpty());

    // force renews it anyway (YouTube said 401 to it).
    refresher.ensureFresh(u"alice"_s, true);
    QTRY_COMPARE(ready.count(), 2);
    QCOMPARE(ready.at(1).at(1).value<OAuthToken>().accessToken, u"A1"_s);
    QCOMPARE(m_google->forms().size(), 1);
}

void OAuthTokenStoreTest::ensureFreshRenewsExpiringToken()
{
    writeToken(&*m_cipher, {}, QDateTime::currentDateTimeUtc().addSecs(60));
    // A rotated refresh token is kept; without expires_in the token lasts an hour.
    m_google->setResponse({{u"access_token"_s, u"A1"_s}, {u"refresh_token"_s, u"R1"_s}});
    OAuthRefresher refresher(m_testDb->database(), &*m_cipher, settings());
    QSignalSpy ready(&refresher, &OAuthRefresher::tokenReady);
    // Two callers while one refresh runs: one token request answers both.
    refresher.ensureFresh({});
    refresher.ensureFresh({});
    QTRY_COMPARE(ready.count(), 2);
    QCOMPARE(m_google->forms().size(), 1);
    QCOMPARE(ready.at(0).at(1).value<OAuthToken>().accessToken, u"A1"_s);
    StoreError error;
    const std::optional<OAuthToken> stored =
            OAuthTokenStore(m_testDb->database(), &*m_cipher).read(OAuthToken::youtube, {}, &error);
    QVERIFY2(stored, qPrintable(error.message));
    QCOMPARE(stored->accessToken, u"A1"_s);
    QCOMPARE(stored->refreshToken, u"R1"_s);
    QVERIFY(qAbs(stored->expiresAt.secsTo(QDateTime::currentDateTimeUtc().addSecs(3600))) < 60);
}

void OAuthTokenStoreTest::ensureFreshReportsRefreshFailure()
{
    writeToken(&*m_cipher, {}, QDateTime::currentDateTimeUtc().addSecs(-60));
    m_google->failNext(1, 400, u"invalid_grant"_s);
    OAuthRefresher refresher(m_testDb->database(), &*m_cipher, settings());
    QSignalSpy unavailable(&refresher, &OAuthRefresher::tokenUnavailable);
    QSignalSpy failed(&refresher, &OAuthRefresher::refreshFailed);
    refresher.ensureFresh({});
    QTRY_COMPARE(unavailable.count(), 1);
    QCOMPARE(failed.count(), 1);
    const QString message = unavailable.constFirst().at(1).toString();
    QVERIFY2(message.contains(u"HTTP 400 invalid_grant"_s), qPrintable(message));
    QVERIFY(!message.contains(u"R0"_s) && !message.contains(clientSecret));
    // The stored token is untouched.
    QCOMPARE(m_cipher->decrypt(rawRow().access, nullptr), std::optional(u"A0"_s));
}

QTEST_GUILESS_MAIN(OAuthTokenStoreTest)
#include "oauthtokenstore.moc"
