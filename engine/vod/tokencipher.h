#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Pitwall {

// AES-256-GCM for OAuth tokens at rest, the format vod-tender writes (research §1.8): a random
// 12-byte nonce per value, no additional authenticated data, stored as
// base64(nonce || ciphertext || 16-byte tag). Rows encrypted by either program decrypt in the
// other with the same ENCRYPTION_KEY.
class TokenCipher final
{
public:
    static constexpr int keyBytes = 32;
    static constexpr int nonceBytes = 12;
    static constexpr int tagBytes = 16;

    // The key as ENCRYPTION_KEY holds it: standard base64 of exactly 32 bytes (surrounding
    // whitespace ignored). std::nullopt and *error naming the rule otherwise; the key itself
    // never appears in the message.
    static std::optional<TokenCipher> fromBase64(const QString &encodedKey, QString *error);
    // The key as raw bytes (UploadSettings::encryptionKey); exactly 32 of them.
    static std::optional<TokenCipher> fromKey(const QByteArray &key, QString *error);

    // base64(nonce || ciphertext || tag) of the UTF-8 text; std::nullopt only when OpenSSL
    // itself fails (*error says so).
    std::optional<QString> encrypt(const QString &plaintext, QString *error) const;
    // The text encrypt() was given; std::nullopt with *error when the value is not ours:
    // not base64, too short, or the tag does not verify (wrong key, or the value was altered).
    std::optional<QString> decrypt(const QString &stored, QString *error) const;

private:
    explicit TokenCipher(QByteArray key) : m_key(std::move(key)) { }

    QByteArray m_key;
};

} // namespace Pitwall
