#pragma once

#include "relay/deviceidentity.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QVariantList>

#include <optional>

namespace Pitwall {

class Database;

// Why a TokenStore call failed. `message` is the text for the API client for the validation
// kinds, and the database's own text (for logs) for Unavailable and DatabaseError.
struct TokenError
{
    enum class Kind {
        InvalidDeviceType,  // 400
        EmptyDeviceId,      // 400
        EmptyToken,         // 400
        WeakToken,          // 400: a supplied token shorter than minimumSuppliedTokenLength
        InvalidTokenId,     // 400: not a UUID
        Duplicate,          // 409
        NotFound,           // 404 (revoke), or an unknown/revoked token (authenticate)
        Unavailable,        // 503: the database cannot be reached, or stayed locked
        DatabaseError,      // 500: the statement failed for another reason
    };
    Kind kind = Kind::DatabaseError;
    QString message;
};

// A token as created: the raw value is only ever returned here, the table keeps its hash.
struct CreatedToken
{
    QString tokenId;
    QString deviceId;
    DeviceType deviceType = DeviceType::Forwarder;
    QString token;
};

// A row of device_tokens as the admin API lists it.
struct TokenInfo
{
    QString tokenId;
    DeviceType deviceType = DeviceType::Forwarder;
    QString deviceId;
    QDateTime createdAt; // UTC
    bool revoked = false;
};

// The device_tokens table: provisioning, revocation and the lookup behind WebSocket auth.
// Every call uses the calling thread's connection of the Database, so any thread may call it
// (the HTTP thread for the admin routes, session threads for authenticate()). tokenRevoked is
// emitted on the calling thread; receivers on other threads get it queued.
class TokenStore final : public QObject
{
    Q_OBJECT

public:
    // Supplied tokens shorter than this are refused. The reference server took any non-empty
    // value; 16 characters still admits the fleet's existing hand-made tokens (the acceptance
    // scenario's "fwd-export-token-01" has 19) while stopping "1234"-style secrets.
    static constexpr qsizetype minimumSuppliedTokenLength = 16;
    // Generated tokens: 32 random bytes (256 bits), base64url without padding = 43 characters.
    static constexpr int generatedTokenBytes = 32;

    explicit TokenStore(const Database &database, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TokenStore)

    // deviceType "forwarder" or "receiver"; deviceId and a supplied token are trimmed. A
    // forwarder's device id is derived from the token (forwarderIdFor), the given one only has
    // to be non-empty; a receiver keeps its own. Without a supplied token one is generated.
    std::optional<CreatedToken> create(const QString &deviceType, const QString &deviceId,
                                       const std::optional<QString> &suppliedToken,
                                       TokenError *error);
    // Every token, revoked ones included, oldest first.
    std::optional<QList<TokenInfo>> list(TokenError *error) const;
    // Marks an active token revoked and emits tokenRevoked; NotFound when it is unknown or
    // already revoked.
    bool revoke(const QString &tokenId, TokenError *error);
    // Deletes every token and emits tokenRevoked for each one that was still active.
    bool deleteAll(TokenError *error);
    // The identity of an active token. std::nullopt with Kind::NotFound for an unknown or
    // revoked token, Unavailable/DatabaseError when the lookup itself failed.
    std::optional<DeviceIdentity> authenticate(const QString &rawToken,
                                               TokenError *error = nullptr) const;

    // A fresh token with 256 bits from the system CSPRNG, URL-safe ([A-Za-z0-9_-]{43}).
    static QString generateToken();
    // SHA-256 of the token's UTF-8 bytes: what device_tokens.token_hash holds.
    static QByteArray tokenHash(const QString &rawToken);
    // "fwd-" + the first 16 lower-case hex digits of tokenHash(), as the reference forwarder
    // derives its own id: "fwd-export-token-01" -> "fwd-2cb60cb5ec9935be".
    static QString forwarderIdFor(const QString &rawToken);

signals:
    // A token stopped being valid (revoked or deleted): sessions authenticated with it must end.
    void tokenRevoked(const QString &tokenId, Pitwall::DeviceType deviceType,
                      const QString &deviceId);

private:
    struct ActiveToken
    {
        QString tokenId;
        DeviceType deviceType;
        QString deviceId;
    };

    // Runs `sql`, which yields token_id, device_type, device_id and a flag per row, on the
    // calling thread's connection; the rows whose flag is true.
    std::optional<QList<ActiveToken>> queryTokens(const QString &sql, const QVariantList &values,
                                                  const char *what, TokenError *error) const;

    const Database &m_database;
};

} // namespace Pitwall
