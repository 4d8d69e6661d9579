#include "vod/tokencipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct ContextFree
{
    void operator()(EVP_CIPHER_CTX *context) const { EVP_CIPHER_CTX_free(context); }
};
using Context = std::unique_ptr<EVP_CIPHER_CTX, ContextFree>;

template<typename T>
std::optional<T> failure(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

unsigned char *bytes(QByteArray &data)
{
    return reinterpret_cast<unsigned char *>(data.data());
}

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

} // namespace

std::optional<TokenCipher> TokenCipher::fromBase64(const QString &encodedKey, QString *error)
{
    const auto decoded = QByteArray::fromBase64Encoding(encodedKey.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return failure<TokenCipher>(error, u"ENCRYPTION_KEY is not valid base64"_s);
    return fromKey(decoded.decoded, error);
}

std::optional<TokenCipher> TokenCipher::fromKey(const QByteArray &key, QString *error)
{
    if (key.size() != keyBytes) {
        return failure<TokenCipher>(
                error, u"ENCRYPTION_KEY must be base64 of exactly 32 bytes, it has %1"_s.arg(
                               key.size()));
    }
    return TokenCipher(key);
}

std::optional<QString> TokenCipher::encrypt(const QString &plaintext, QString *error) const
{
    const QByteArray clear = plaintext.toUtf8();
    QByteArray out(nonceBytes + clear.size() + tagBytes, Qt::Uninitialized);
    unsigned char *nonce = bytes(out);
    unsigned char *cipher = nonce + nonceBytes;
    const Context context(EVP_CIPHER_CTX_new());
    int written = 0;
    int finalWritten = 0;
    if (!context || RAND_bytes(nonce, nonceBytes) != 1
        || EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(m_key), nonce) != 1
        || EVP_EncryptUpdate(context.get(), cipher, &written, bytes(clear), int(clear.size())) != 1
        || EVP_EncryptFinal_ex(context.get(), cipher + written, &finalWritten) != 1
        || EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, tagBytes,
                               cipher + written + finalWritten) != 1) {
        return failure<QString>(error, u"AES-256-GCM encryption failed in OpenSSL"_s);
    }
    return QString::fromLatin1(out.toBase64());
}

std::optional<QString> TokenCipher::decrypt(const QString &stored, QString *error) const
{
    const auto decoded = QByteArray::fromBase64Encoding(stored.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return failure<QString>(error, u"the encrypted token is not valid base64"_s);
    const QByteArray &data = decoded.decoded;
    if (data.size() < nonceBytes + tagBytes)
        return failure<QString>(error, u"the encrypted token is too short to be AES-256-GCM"_s);
    const int cipherBytes = int(data.size()) - nonceBytes - tagBytes;
    const unsigned char *nonce = bytes(data);
    const unsigned char *cipher = nonce + nonceBytes;
    // OpenSSL takes the expected tag through a non-const pointer; it only reads it.
    QByteArray tag = data.right(tagBytes);
    QByteArray clear(cipherBytes, Qt::Uninitialized);
    const Context context(EVP_CIPHER_CTX_new());
    int written = 0;
    int finalWritten = 0;
    if (!context
        || EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(m_key), nonce) != 1
        || EVP_DecryptUpdate(context.get(), bytes(clear), &written, cipher, cipherBytes) != 1
        || EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, tagBytes, bytes(tag)) != 1) {
        return failure<QString>(error, u"AES-256-GCM decryption failed in OpenSSL"_s);
    }
    // The tag is checked here: nothing decrypted is returned unless it verifies.
    if (EVP_DecryptFinal_ex(context.get(), bytes(clear) + written, &finalWritten) != 1) {
        return failure<QString>(error, u"the encrypted token does not verify: wrong "
                                       "ENCRYPTION_KEY, or the stored value was altered"_s);
    }
    return QString::fromUtf8(clear);
}

} // namespace Pitwall
