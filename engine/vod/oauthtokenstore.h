#pragma once

#include "relay/storeerror.h"
#include "vod/oauthtoken.h"

#include <QStringList>

#include <optional>

namespace Pitwall {

class Database;
class TokenCipher;

// The oauth_tokens table (migration 0007), encrypted at rest when a cipher is given (research
// §1.8). Every call uses the calling thread's connection, so it is cheap to make one where it is
// needed; it keeps references to the database and the cipher.
//
// Rows are written as encryption_version 1 (key id "default") with a cipher and 0 without; read
// back, version 1 needs the cipher and version 0 is plaintext, so rows written before a key was
// set keep working. Empty strings are stored as they are.
class OAuthTokenStore final
{
public:
    static inline const QString keyId = QStringLiteral("default");

    // cipher may be null: plaintext writes, and version-1 rows cannot be read.
    OAuthTokenStore(const Database &database, const TokenCipher *cipher)
        : m_database(database)
        , m_cipher(cipher)
    {
    }

    // NotFound when there is no row; Invalid when a value cannot be decrypted (no key, wrong
    // key, altered value) - never a garbled token.
    std::optional<OAuthToken> read(const QString &provider, const QString &channel,
                                   StoreError *error) const;
    // Insert or replace the row of (provider, channel); updated_at becomes now.
    bool write(const OAuthToken &token, StoreError *error) const;
    // Channels whose provider token has a refresh token and expires before `before` (or has no
    // known expiry): the ones a refresher renews.
    std::optional<QStringList> channelsExpiringBefore(const QString &provider,
                                                      const QDateTime &before,
                                                      StoreError *error) const;

private:
    std::optional<QString> sealed(const QString &value, StoreError *error) const;
    std::optional<QString> opened(const QString &value, StoreError *error) const;

    const Database &m_database;
    const TokenCipher *m_cipher;
};

} // namespace Pitwall
