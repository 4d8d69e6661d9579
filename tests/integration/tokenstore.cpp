#include "core/db/migrationrunner.h"
#include "relay/tokenstore.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::TokenError::Kind)

namespace {

const QString scenarioToken = u"fwd-export-token-01"_s;
const QString scenarioForwarderId = u"fwd-2cb60cb5ec9935be"_s;

} // namespace

// TokenStore on the real table of migration 0002, in the dialect under test.
class TokenStoreTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void forwarderIdIsDerivedFromToken();
    void receiverKeepsTrimmedDeviceId();
    void generatedTokensAreStrong();
    void onlyTheHashIsStored();
    void revokedTokenNoLongerAuthenticates();
    void duplicateTokenRefused();
    void invalidInput_data();
    void invalidInput();
    void listShowsEveryToken();
    void deleteAllSignalsActiveTokens();

private:
    // Why create() refused, or std::nullopt when it created the token.
    std::optional<TokenError::Kind> failedCreate(const QString &type, const QString &deviceId,
                                                 const std::optional<QString> &token);

    std::unique_ptr<TestDatabase> m_testDb;
    std::unique_ptr<TokenStore> m_store;
};

void TokenStoreTest::init()
{
    m_testDb = std::make_unique<TestDatabase>();
    PITWALL_REQUIRE_TEST_DATABASE(*m_testDb);
    QString error;
    QVERIFY2(MigrationRunner().run(m_testDb->database().connection(), &error), qPrintable(error));
    m_store = std::make_unique<TokenStore>(m_testDb->database());
}

void TokenStoreTest::cleanup()
{
    m_store.reset();
    m_testDb.reset();
}

std::optional<TokenError::Kind> TokenStoreTest::failedCreate(const QString &type,
                                                             const QString &deviceId,
                                                             const std::optional<QString> &token)
{
    TokenError error;
    if (m_store->create(type, deviceId, token, &error))
        return std::nullopt;
    return error.kind;
}

void TokenStoreTest::forwarderIdIsDerivedFromToken()
{
    QCOMPARE(TokenStore::forwarderIdFor(scenarioToken), scenarioForwarderId);
    TokenError error;
    const auto created = m_store->create(u"forwarder"_s, u"x"_s, u"  "_s + scenarioToken, &error);
    QVERIFY2(created, qPrintable(error.message));
    QCOMPARE(created->deviceId, scenarioForwarderId);
    QCOMPARE(created->token, scenarioToken); // trimmed
    QVERIFY(!QUuid::fromString(created->tokenId).isNull());

    const auto identity = m_store->authenticate(scenarioToken, &error);
    QVERIFY2(identity, qPrintable(error.message));
    QCOMPARE(identity->tokenId, created->tokenId);
    QCOMPARE(identity->deviceType, DeviceType::Forwarder);
    QCOMPARE(identity->deviceId, scenarioForwarderId);
}

void TokenStoreTest::receiverKeepsTrimmedDeviceId()
{
    TokenError error;
    const auto created = m_store->create(u"receiver"_s, u" rcv-1\t"_s, std::nullopt, &error);
    QVERIFY2(created, qPrintable(error.message));
    QCOMPARE(created->deviceId, u"rcv-1"_s);
    QCOMPARE(created->deviceType, DeviceType::Receiver);
    const auto identity = m_store->authenticate(created->token);
    QVERIFY(identity);
    QCOMPARE(identity->deviceId, u"rcv-1"_s);
    QCOMPARE(identity->deviceType, DeviceType::Receiver);
}

void TokenStoreTest::generatedTokensAreStrong()
{
    static const QRegularExpression urlSafe(u"^[A-Za-z0-9_-]{43}$"_s);
    QSet<QString> tokens;
    QSet<QChar> alphabet;
    for (int i = 0; i < 1000; ++i) {
        const QString token = TokenStore::generateToken();
        QVERIFY2(urlSafe.match(token).hasMatch(), qPrintable(token));
        tokens.insert(token);
        for (const QChar c : token)
            alphabet.insert(c);
    }
    QCOMPARE(tokens.size(), 1000);
    // 43 000 uniform draws from 64 symbols miss one with probability ~1e-290: a generator that
    // only produced hex or another narrow set shows up here.
    QCOMPARE(alphabet.size(), 64);

    TokenError error;
    const auto created = m_store->create(u"receiver"_s, u"r"_s, std::nullopt, &error);
    QVERIFY2(created, qPrintable(error.message));
    QVERIFY(urlSafe.match(created->token).hasMatch());
}

void TokenStoreTest::onlyTheHashIsStored()
{
    TokenError error;
    const auto created = m_store->create(u"forwarder"_s, u"x"_s, scenarioToken, &error);
    QVERIFY2(created, qPrintable(error.message));
    QSqlQuery query(m_testDb->database().connection());
    QVERIFY(query.exec(u"SELECT * FROM device_tokens"_s));
    QVERIFY(query.next());
    const QSqlRecord row = query.record();
    QCOMPARE(row.count(), 6);
    // sha256sum of the token's bytes, computed outside Qt.
    QCOMPARE(row.value(u"token_hash"_s).toByteArray(),
             QByteArray::fromHex("2cb60cb5ec9935beb77779bd007e370a"
                                 "dced6a7a1b433efdd00e50f124b73a74"));
    for (int i = 0; i < row.count(); ++i) {
        const QVariant value = row.value(i);
        QVERIFY2(!value.toString().contains(scenarioToken), qPrintable(row.fieldName(i)));
        QVERIFY2(!value.toByteArray().contains(scenarioToken.toUtf8()),
                 qPrintable(row.fieldName(i)));
    }
    QVERIFY(row.value(u"revoked_at"_s).isNull());
    QVERIFY(!query.next());
}

void TokenStoreTest::revokedTokenNoLongerAuthenticates()
{
    TokenError error;
    const auto created = m_store->create(u"forwarder"_s, u"x"_s, scenarioToken, &error);
    QVERIFY2(created, qPrintable(error.message));
    QVERIFY(m_store->authenticate(scenarioToken));
    QSignalSpy revoked(m_store.get(), &TokenStore::tokenRevoked);

    // Any spelling of the UUID names the same token.
    QVERIFY2(m_store->revoke(created->tokenId.toUpper(), &error), qPrintable(error.message));
    QCOMPARE(revoked.size(), 1);
    QCOMPARE(revoked[0][0].toString(), created->tokenId);
    QCOMPARE(revoked[0][1].value<DeviceType>(), DeviceType::Forwarder);
    QCOMPARE(revoked[0][2].toString(), scenarioForwarderId);

    QVERIFY(!m_store->authenticate(scenarioToken, &error));
    QCOMPARE(error.kind, TokenError::Kind::NotFound);
    QCOMPARE(error.message, u"unknown or revoked token"_s);

    QVERIFY(!m_store->revoke(created->tokenId, &error));
    QCOMPARE(error.kind, TokenError::Kind::NotFound);
    QCOMPARE(error.message, u"token not found or already revoked"_s);
    QVERIFY(!m_store->revoke(QUuid::createUuid().toString(), &error));
    QCOMPARE(error.kind, TokenError::Kind::NotFound);
    QVERIFY(!m_store->revoke(u"not-a-uuid"_s, &error));
    QCOMPARE(error.kind, TokenError::Kind::InvalidTokenId);
    QCOMPARE(revoked.size(), 1);
}

void TokenStoreTest::duplicateTokenRefused()
{
    TokenError error;
    const auto first = m_store->create(u"forwarder"_s, u"x"_s, scenarioToken, &error);
    QVERIFY2(first, qPrintable(error.message));
    QCOMPARE(failedCreate(u"receiver"_s, u"r"_s, scenarioToken + u' '),
             std::optional(TokenError::Kind::Duplicate));
    // A revoked token's value stays taken: re-issuing it would revive old copies of the secret.
    QVERIFY(m_store->revoke(first->tokenId, &error));
    QCOMPARE(failedCreate(u"forwarder"_s, u"x"_s, scenarioToken),
             std::optional(TokenError::Kind::Duplicate));
}

void TokenStoreTest::invalidInput_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("deviceId");
    QTest::addColumn<std::optional<QString>>("token");
    QTest::addColumn<TokenError::Kind>("kind");
    using Kind = TokenError::Kind;
    const std::optional<QString> none;
    QTest::newRow("type") << u"Forwarder"_s << u"x"_s << none << Kind::InvalidDeviceType;
    QTest::newRow("no type") << QString() << u"x"_s << none << Kind::InvalidDeviceType;
    QTest::newRow("empty id") << u"receiver"_s << QString() << none << Kind::EmptyDeviceId;
    QTest::newRow("blank id") << u"forwarder"_s << u" \t"_s << none << Kind::EmptyDeviceId;
    QTest::newRow("empty token") << u"receiver"_s << u"r"_s << std::optional<QString>(QString())
                                 << TokenError::Kind::EmptyToken;
    QTest::newRow("blank token") << u"receiver"_s << u"r"_s << std::optional<QString>(u" \n "_s)
                                 << TokenError::Kind::EmptyToken;
    QTest::newRow("15 chars") << u"receiver"_s << u"r"_s
                              << std::optional<QString>(u"  123456789012345  "_s)
                              << TokenError::Kind::WeakToken;
}

void TokenStoreTest::invalidInput()
{
    QFETCH(QString, type);
    QFETCH(QString, deviceId);
    QFETCH(std::optional<QString>, token);
    QFETCH(TokenError::Kind, kind);
    QCOMPARE(failedCreate(type, deviceId, token), std::optional(kind));
    const auto tokens = m_store->list(nullptr);
    QVERIFY(tokens);
    QVERIFY(tokens->isEmpty());
}

void TokenStoreTest::listShowsEveryToken()
{
    TokenError error;
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const auto forwarder = m_store->create(u"forwarder"_s, u"x"_s, scenarioToken, &error);
    QVERIFY2(forwarder, qPrintable(error.message));
    const auto receiver = m_store->create(u"receiver"_s, u"rcv-1"_s, std::nullopt, &error);
    QVERIFY2(receiver, qPrintable(error.message));
    QVERIFY(m_store->revoke(receiver->tokenId, &error));

    const auto tokens = m_store->list(&error);
    QVERIFY2(tokens, qPrintable(error.message));
    QCOMPARE(tokens->size(), 2);
    QHash<QString, TokenInfo> byId;
    for (const TokenInfo &token : *tokens) {
        QVERIFY(token.createdAt.isValid());
        QCOMPARE(token.createdAt.timeSpec(), Qt::UTC);
        QVERIFY(token.createdAt >= before);
        QVERIFY(token.createdAt <= QDateTime::currentDateTimeUtc().addSecs(1));
        byId.insert(token.tokenId, token);
    }
    QCOMPARE(byId.value(forwarder->tokenId).deviceId, scenarioForwarderId);
    QCOMPARE(byId.value(forwarder->tokenId).deviceType, DeviceType::Forwarder);
    QVERIFY(!byId.value(forwarder->tokenId).revoked);
    QCOMPARE(byId.value(receiver->tokenId).deviceId, u"rcv-1"_s);
    QVERIFY(byId.value(receiver->tokenId).revoked);
}

void TokenStoreTest::deleteAllSignalsActiveTokens()
{
    TokenError error;
    const auto active = m_store->create(u"forwarder"_s, u"x"_s, scenarioToken, &error);
    const auto revoked = m_store->create(u"receiver"_s, u"rcv-1"_s, std::nullopt, &error);
    QVERIFY(active && revoked);
    QVERIFY(m_store->revoke(revoked->tokenId, &error));
    QSignalSpy spy(m_store.get(), &TokenStore::tokenRevoked);

    QVERIFY2(m_store->deleteAll(&error), qPrintable(error.message));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy[0][0].toString(), active->tokenId);
    QVERIFY(m_store->list(&error)->isEmpty());
    QVERIFY(!m_store->authenticate(scenarioToken));
    // Deleting nothing is fine too.
    QVERIFY(m_store->deleteAll(&error));
    QCOMPARE(spy.size(), 1);
}

QTEST_GUILESS_MAIN(TokenStoreTest)
#include "tokenstore.moc"
