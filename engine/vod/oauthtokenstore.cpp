#include "vod/oauthtokenstore.h"

#include "core/db/database.h"
#include "core/log/logcategories.h"
#include "relay/storesql.h"
#include "vod/tokencipher.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// ISO 8601 UTC with milliseconds: what SQLite stores (and compares as text), and what
// PostgreSQL reads into TIMESTAMPTZ.
QString timestampText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

// A null QString binds as SQL NULL; these columns hold '' for "none".
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

QVariant timestampOrNull(const QDateTime &time)
{
    return StoreSql::nullable(time.isValid() ? std::optional(timestampText(time)) : std::nullopt);
}

} // namespace

std::optional<OAuthToken> OAuthTokenStore::read(const QString &provider, const QString &channel,
                                                StoreError *error) const
{
    std::optional<QSqlQuery> found = StoreSql::select(
            m_database,
            u"SELECT access_token, refresh_token, scope, expires_at, updated_at, "
            "encryption_version, encryption_key_id FROM oauth_tokens "
            "WHERE provider = ? AND channel = ?"_s,
            {text(provider), text(channel)}, error);
    if (!found)
        return std::nullopt;
    QSqlQuery &query = *found;
    const QString what = u"%1 token of channel \"%2\""_s.arg(provider, channel);
    if (!query.next()) {
        StoreSql::fail(error, StoreError::Kind::NotFound, u"no %1 stored"_s.arg(what));
        return std::nullopt;
    }
    OAuthToken token{provider, channel, query.value(0).toString(), query.value(1).toString(),
                     query.value(2).toString(), StoreSql::timestamp(query.value(3)),
                     StoreSql::timestamp(query.value(4))};
    const int version = query.value(5).toInt();
    const QString rowKeyId = query.value(6).toString();
    query.finish();
    if (version == 0)
        return token;
    if (version != 1 || (!rowKeyId.isEmpty() && rowKeyId != keyId)) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"the %1 uses encryption version %2 with key id \"%3\", which this node "
                       "cannot read"_s.arg(what, QString::number(version), rowKeyId));
        return std::nullopt;
    }
    for (QString *value : {&token.accessToken, &token.refreshToken, &token.scope}) {
        const std::optional<QString> clear = opened(*value, error);
        if (!clear) {
            if (error)
                error->message = u"cannot read the %1: %2"_s.arg(what, error->message);
            return std::nullopt;
        }
        *value = *clear;
    }
    return token;
}

bool OAuthTokenStore::write(const OAuthToken &token, StoreError *error) const
{
    const std::optional<QString> access = sealed(token.accessToken, error);
    const std::optional<QString> refresh = access ? sealed(token.refreshToken, error) : access;
    const std::optional<QString> scope = refresh ? sealed(token.scope, error) : refresh;
    if (!scope)
        return false;
    if (!m_cipher) {
        qCWarning(lcDb).noquote() << "ENCRYPTION_KEY is not set: the" << token.provider
                                  << "token is stored in plaintext";
    }
    QSqlDatabase db = StoreSql::open(m_database, error);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    const QString now = m_database.dialect().nowExpression();
    return StoreSql::run(
            query,
            u"INSERT INTO oauth_tokens (provider, channel, access_token, refresh_token, scope, "
            "expires_at, updated_at, encryption_version, encryption_key_id) "
            "VALUES (?, ?, ?, ?, ?, ?, %1, ?, ?) "
            "ON CONFLICT (provider, channel) DO UPDATE SET access_token = excluded.access_token, "
            "refresh_token = excluded.refresh_token, scope = excluded.scope, "
            "expires_at = excluded.expires_at, updated_at = excluded.updated_at, "
            "encryption_version = excluded.encryption_version, "
            "encryption_key_id = excluded.encryption_key_id"_s.arg(now),
            {text(token.provider), text(token.channel), text(*access), text(*refresh), text(*scope),
             timestampOrNull(token.expiresAt), m_cipher ? 1 : 0,
             StoreSql::nullable(m_cipher ? std::optional(keyId) : std::nullopt)},
            error);
}

std::optional<QStringList> OAuthTokenStore::channelsExpiringBefore(const QString &provider,
                                                                   const QDateTime &before,
                                                                   StoreError *error) const
{
    // Empty values are stored unencrypted, so "has a refresh token" is a plain comparison.
    std::optional<QSqlQuery> query = StoreSql::select(
            m_database,
            u"SELECT channel FROM oauth_tokens WHERE provider = ? AND refresh_token <> '' "
            "AND (expires_at IS NULL OR expires_at < ?) ORDER BY channel"_s,
            {text(provider), timestampText(before)}, error);
    if (!query)
        return std::nullopt;
    QStringList channels;
    while (query->next())
        channels << query->value(0).toString();
    return channels;
}

std::optional<QString> OAuthTokenStore::sealed(const QString &value, StoreError *error) const
{
    if (!m_cipher || value.isEmpty())
        return value;
    QString text;
    std::optional<QString> cipherText = m_cipher->encrypt(value, &text);
    if (!cipherText)
        StoreSql::fail(error, StoreError::Kind::Failed, text);
    return cipherText;
}

std::optional<QString> OAuthTokenStore::opened(const QString &value, StoreError *error) const
{
    if (value.isEmpty())
        return value;
    if (!m_cipher) {
        StoreSql::fail(error, StoreError::Kind::Invalid,
                       u"it is encrypted and ENCRYPTION_KEY is not set"_s);
        return std::nullopt;
    }
    QString text;
    std::optional<QString> clear = m_cipher->decrypt(value, &text);
    if (!clear)
        StoreSql::fail(error, StoreError::Kind::Invalid, text);
    return clear;
}

} // namespace Pitwall
