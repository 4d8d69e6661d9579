#include "vod/tokencipher.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// bytes 0..31, and a value sealed by an independent AES-GCM implementation (Python's
// cryptography, the layout Go's cipher.GCM Seal(nonce, nonce, ...) gives vod-tender):
// nonce 00..0b, plaintext "ya29.vod-tender-access", no AAD.
const QString referenceKey = u"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="_s;
const QString referenceValue =
        u"AAECAwQFBgcICQoLPmPkIuuTrX+gNfLl1YwKQOK15FGDCHkoXnoBAfA1NCvRtAOKDzY="_s;
const QString otherKey = QString::fromLatin1(QByteArray(32, 'k').toBase64());

TokenCipher cipherFor(const QString &key)
{
    QString error;
    const std::optional<TokenCipher> cipher = TokenCipher::fromBase64(key, &error);
    if (!cipher)
        qFatal("%s", qPrintable(error));
    return *cipher;
}

QByteArray decoded(const QString &value)
{
    return QByteArray::fromBase64(value.toLatin1());
}

} // namespace

// AES-256-GCM as vod-tender stores tokens: base64(nonce || ciphertext || tag), no AAD.
class TokenCipherTest final : public QObject
{
    Q_OBJECT

private slots:
    void decryptsVodTenderValue();
    void roundTrip_data();
    void roundTrip();
    void everyValueHasItsOwnNonce();
    void wrongKeyFails();
    void tamperedValueFails_data();
    void tamperedValueFails();
    void malformedValueFails_data();
    void malformedValueFails();
    void keyMustBe32Bytes_data();
    void keyMustBe32Bytes();
};

void TokenCipherTest::decryptsVodTenderValue()
{
    QString error;
    QCOMPARE(cipherFor(referenceKey).decrypt(referenceValue, &error),
             std::optional(u"ya29.vod-tender-access"_s));
}

void TokenCipherTest::roundTrip_data()
{
    QTest::addColumn<QString>("plaintext");
    QTest::newRow("access token") << u"ya29.a0AfH6SMB-example"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("multibyte") << u"scope \u00e9\u00e8 \U0001F600"_s;
    QTest::newRow("long") << QString(5000, u'x');
}

void TokenCipherTest::roundTrip()
{
    QFETCH(QString, plaintext);
    const TokenCipher cipher = cipherFor(referenceKey);
    QString error;
    const std::optional<QString> sealed = cipher.encrypt(plaintext, &error);
    QVERIFY2(sealed, qPrintable(error));
    QCOMPARE(decoded(*sealed).size(),
             TokenCipher::nonceBytes + plaintext.toUtf8().size() + TokenCipher::tagBytes);
    QVERIFY(!sealed->contains(plaintext) || plaintext.isEmpty());
    QCOMPARE(cipher.decrypt(*sealed, &error), std::optional(plaintext));
    // The other direction of compatibility: a value we seal opens under the same key anywhere.
    QCOMPARE(cipherFor(referenceKey).decrypt(*sealed, &error), std::optional(plaintext));
}

void TokenCipherTest::everyValueHasItsOwnNonce()
{
    const TokenCipher cipher = cipherFor(referenceKey);
    QSet<QByteArray> nonces;
    for (int i = 0; i < 50; ++i)
        nonces.insert(decoded(*cipher.encrypt(u"same"_s, nullptr)).left(TokenCipher::nonceBytes));
    QCOMPARE(nonces.size(), 50);
}

void TokenCipherTest::wrongKeyFails()
{
    QString error;
    QCOMPARE(cipherFor(otherKey).decrypt(referenceValue, &error), std::nullopt);
    QVERIFY2(error.contains(u"wrong ENCRYPTION_KEY"_s), qPrintable(error));
}

void TokenCipherTest::tamperedValueFails_data()
{
    QTest::addColumn<int>("position");
    QTest::newRow("nonce") << 0;
    QTest::newRow("ciphertext") << TokenCipher::nonceBytes + 3;
    QTest::newRow("tag") << int(decoded(referenceValue).size()) - 1;
}

void TokenCipherTest::tamperedValueFails()
{
    QFETCH(int, position);
    QByteArray raw = decoded(referenceValue);
    raw[position] = char(raw.at(position) ^ 0x01);
    QString error;
    QCOMPARE(cipherFor(referenceKey).decrypt(QString::fromLatin1(raw.toBase64()), &error),
             std::nullopt);
    QVERIFY2(error.contains(u"does not verify"_s), qPrintable(error));
}

void TokenCipherTest::malformedValueFails_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plaintext") << u"ya29.not-encrypted!"_s << u"not valid base64"_s;
    QTest::newRow("too short")
            << QString::fromLatin1(QByteArray(27, 'a').toBase64()) << u"too short"_s;
}

void TokenCipherTest::malformedValueFails()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QString error;
    QCOMPARE(cipherFor(referenceKey).decrypt(value, &error), std::nullopt);
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TokenCipherTest::keyMustBe32Bytes_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::newRow("16 bytes") << QString::fromLatin1(QByteArray(16, 's').toBase64())
                              << u"exactly 32 bytes, it has 16"_s;
    QTest::newRow("33 bytes") << QString::fromLatin1(QByteArray(33, 's').toBase64())
                              << u"exactly 32 bytes, it has 33"_s;
    QTest::newRow("not base64") << u"not a key at all!"_s << u"not valid base64"_s;
    QTest::newRow("empty") << QString() << u"exactly 32 bytes, it has 0"_s;
}

void TokenCipherTest::keyMustBe32Bytes()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!TokenCipher::fromBase64(key, &error));
    QVERIFY2(error.startsWith(u"ENCRYPTION_KEY "_s) && error.contains(expected), qPrintable(error));
    QVERIFY(key.isEmpty() || !error.contains(key));
    // Surrounding whitespace, as an env file leaves it, is not part of the key.
    QVERIFY(TokenCipher::fromBase64(u" "_s + referenceKey + u"\n"_s, &error));
}

QTEST_GUILESS_MAIN(TokenCipherTest)
#include "tokencipher.moc"
