#include "relay/tokenstore.h"

#include "core/db/database.h"
#include "core/log/logcategories.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <array>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

TokenError failure(TokenError::Kind kind, const QString &message)
{
    return TokenError{kind, message};
}

void setError(TokenError *error, TokenError value)
{
    if (error)
        *error = std::move(value);
}

// A failed statement: 503 material when the database is unreachable or stayed locked past the
// busy timeout (worth a retry), 500 otherwise.
TokenError databaseFailure(const Dialect &dialect, const QSqlError &sqlError, const char *what)
{
    const QString text = Dialect::errorText(sqlError);
    const bool retryLater = dialect.isConnectionError(sqlError) || dialect.isLockTimeout(sqlError);
    qCWarning(lcDb).noquote() << "device tokens:" << what << "failed:" << text;
    return failure(retryLater ? TokenError::Kind::Unavailable : TokenError::Kind::DatabaseError,
                   text);
}

bool exec(QSqlQuery &query, const QString &sql, const QVariantList &values)
{
    if (!query.prepare(sql))
        return false;
    for (const QVariant &value : values)
        query.addBindValue(value);
    return query.exec();
}

// SQLite returns the ISO text it stores, PostgreSQL a QDateTime.
QDateTime toUtc(const QVariant &value)
{
    if (value.typeId() == QMetaType::QDateTime)
        return value.toDateTime().toUTC();
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

// The CHECK constraint admits nothing else.
DeviceType deviceTypeOf(const QVariant &value)
{
    return parseDeviceType(value.toString()).value_or(DeviceType::Receiver);
}

// The calling thread's connection; not open (and *error set) when the database is unreachable.
QSqlDatabase openConnection(const Database &database, TokenError *error)
{
    QString connectionError;
    QSqlDatabase db = database.connection(&connectionError);
    if (!db.isOpen())
        setError(error, failure(TokenError::Kind::Unavailable, connectionError));
    return db;
}

// token_id, device_type, device_id: what queryTokens() reads before its flag column.
constexpr QLatin1StringView tokenColumns("CAST(token_id AS TEXT), device_type, device_id");

} // namespace

TokenStore::TokenStore(const Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
}

std::optional<CreatedToken> TokenStore::create(const QString &deviceType,
                                               const QString &deviceId,
                                               const std::optional<QString> &suppliedToken,
                                               TokenError *error)
{
    const std::optional<DeviceType> type = parseDeviceType(deviceType);
    if (!type) {
        setError(error, failure(TokenError::Kind::InvalidDeviceType,
                                u"device_type must be \"forwarder\" or \"receiver\""_s));
        return std::nullopt;
    }
    QString id = deviceId.trimmed();
    if (id.isEmpty()) {
        setError(error, failure(TokenError::Kind::EmptyDeviceId,
                                u"device_id must not be empty"_s));
        return std::nullopt;
    }
    QString token;
    if (suppliedToken) {
        token = suppliedToken->trimmed();
        if (token.isEmpty()) {
            setError(error, failure(TokenError::Kind::EmptyToken,
                                    u"token must not be empty or whitespace"_s));
            return std::nullopt;
        }
        if (token.size() < minimumSuppliedTokenLength) {
            setError(error, failure(TokenError::Kind::WeakToken,
                                    u"token must be at least %1 characters"_s
                                        .arg(minimumSuppliedTokenLength)));
            return std::nullopt;
        }
    } else {
        token = generateToken();
    }
    if (*type == DeviceType::Forwarder)
        id = forwarderIdFor(token);

    QSqlDatabase db = openConnection(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    const QString tokenId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlQuery query(db);
    // ON CONFLICT instead of matching driver error codes: no row inserted means the hash exists.
    if (!exec(query,
              u"INSERT INTO device_tokens (token_id, token_hash, device_type, device_id) "
              "VALUES (?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING"_s,
              {tokenId, tokenHash(token), deviceTypeName(*type), id})) {
        setError(error, databaseFailure(m_database.dialect(), query.lastError(), "create"));
        return std::nullopt;
    }
    if (query.numRowsAffected() != 1) {
        setError(error, failure(TokenError::Kind::Duplicate,
                                u"a token with this value already exists"_s));
        return std::nullopt;
    }
    qCInfo(lcDb).noquote() << "device token" << tokenId << "created for" << deviceTypeName(*type)
                           << id;
    return CreatedToken{tokenId, id, *type, token};
}

std::optional<QList<TokenInfo>> TokenStore::list(TokenError *error) const
{
    QSqlDatabase db = openConnection(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!exec(query,
              u"SELECT CAST(token_id AS TEXT), device_type, device_id, created_at, "
              "revoked_at IS NOT NULL FROM device_tokens ORDER BY created_at, token_id"_s,
              {})) {
        setError(error, databaseFailure(m_database.dialect(), query.lastError(), "list"));
        return std::nullopt;
    }
    QList<TokenInfo> tokens;
    while (query.next()) {
        tokens.append({query.value(0).toString(), deviceTypeOf(query.value(1)),
                       query.value(2).toString(), toUtc(query.value(3)), query.value(4).toBool()});
    }
    return tokens;
}

bool TokenStore::revoke(const QString &tokenId, TokenError *error)
{
    const QUuid uuid = QUuid::fromString(tokenId);
    if (uuid.isNull()) {
        setError(error, failure(TokenError::Kind::InvalidTokenId, u"token_id must be a UUID"_s));
        return false;
    }
    // Canonical lower-case form: SQLite compares the text as stored.
    const std::optional<QList<ActiveToken>> revoked = queryTokens(
        u"UPDATE device_tokens SET revoked_at = %1 WHERE token_id = ? AND revoked_at IS NULL "
        "RETURNING %2, 1"_s.arg(m_database.dialect().nowExpression(), tokenColumns),
        {uuid.toString(QUuid::WithoutBraces)}, "revoke", error);
    if (!revoked)
        return false;
    if (revoked->isEmpty()) {
        setError(error, failure(TokenError::Kind::NotFound,
                                u"token not found or already revoked"_s));
        return false;
    }
    const ActiveToken &token = revoked->constFirst();
    qCInfo(lcDb).noquote() << "device token" << token.tokenId << "of"
                           << deviceTypeName(token.deviceType) << token.deviceId << "revoked";
    emit tokenRevoked(token.tokenId, token.deviceType, token.deviceId);
    return true;
}

bool TokenStore::deleteAll(TokenError *error)
{
    const std::optional<QList<ActiveToken>> deleted = queryTokens(
        u"DELETE FROM device_tokens RETURNING %1, revoked_at IS NULL"_s.arg(tokenColumns), {},
        "delete all", error);
    if (!deleted)
        return false;
    qCInfo(lcDb) << "all device tokens deleted," << deleted->size() << "were active";
    for (const ActiveToken &token : *deleted)
        emit tokenRevoked(token.tokenId, token.deviceType, token.deviceId);
    return true;
}

std::optional<QList<TokenStore::ActiveToken>>
TokenStore::queryTokens(const QString &sql, const QVariantList &values, const char *what,
                         TokenError *error) const
{
    QSqlDatabase db = openConnection(m_database, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!exec(query, sql, values)) {
        setError(error, databaseFailure(m_database.dialect(), query.lastError(), what));
        return std::nullopt;
    }
    QList<ActiveToken> tokens;
    while (query.next()) {
        // The fourth column says whether the row counts (e.g. was still active when deleted).
        if (query.value(3).toBool()) {
            tokens.append({query.value(0).toString(), deviceTypeOf(query.value(1)),
                           query.value(2).toString()});
        }
    }
    // Reading every row steps the statement to its end; finishing it releases SQLite's lock.
    query.finish();
    return tokens;
}

std::optional<DeviceIdentity> TokenStore::authenticate(const QString &rawToken,
                                                       TokenError *error) const
{
    const TokenError unknown = failure(TokenError::Kind::NotFound, u"unknown or revoked token"_s);
    if (rawToken.isEmpty()) {
        setError(error, unknown);
        return std::nullopt;
    }
    // The lookup is by the SHA-256 of the token through a unique index, never a comparison of
    // secrets: timing reveals at most how a hash sorts, which does not help find a preimage, so
    // a constant-time compare would add nothing.
    const std::optional<QList<ActiveToken>> found = queryTokens(
        u"SELECT %1, 1 FROM device_tokens WHERE token_hash = ? AND revoked_at IS NULL"_s.arg(
            tokenColumns),
        {tokenHash(rawToken)}, "authenticate", error);
    if (!found)
        return std::nullopt;
    if (found->isEmpty()) {
        setError(error, unknown);
        return std::nullopt;
    }
    const ActiveToken &token = found->constFirst();
    return DeviceIdentity{token.tokenId, token.deviceType, token.deviceId};
}

QString TokenStore::generateToken()
{
    std::array<quint32, generatedTokenBytes / sizeof(quint32)> words{};
    QRandomGenerator::system()->generate(words.begin(), words.end());
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), generatedTokenBytes);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray TokenStore::tokenHash(const QString &rawToken)
{
    return QCryptographicHash::hash(rawToken.toUtf8(), QCryptographicHash::Sha256);
}

QString TokenStore::forwarderIdFor(const QString &rawToken)
{
    return u"fwd-"_s + QString::fromLatin1(tokenHash(rawToken).toHex().left(16));
}

} // namespace Pitwall
