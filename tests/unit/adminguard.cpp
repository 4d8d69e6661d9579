#include "core/http/adminguard.h"

#include "core/http/httprequest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using Pitwall::AdminGuard;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;

namespace {

HttpRequest requestFrom(const QString &peer, Pitwall::HttpHeaders headers = {})
{
    HttpRequest request;
    request.method = "DELETE";
    request.setTarget("/api/v1/tokens/1");
    request.peerAddress = QHostAddress(peer);
    request.headers = std::move(headers);
    return request;
}

QJsonObject envelope(const HttpResponse &response)
{
    return QJsonDocument::fromJson(response.body()).object();
}

} // namespace

class AdminGuardTest : public QObject
{
    Q_OBJECT

private slots:
    void tokenAcceptedFromEitherHeader_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("X-Admin-Token") << QByteArray("X-Admin-Token") << QByteArray("s3cret-token");
        QTest::newRow("Bearer") << QByteArray("Authorization") << QByteArray("Bearer s3cret-token");
        QTest::newRow("bearer, any case") << QByteArray("authorization") << QByteArray("bEaReR  s3cret-token");
    }

    void tokenAcceptedFromEitherHeader()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        const AdminGuard guard(u"s3cret-token"_s);
        // With a token configured the peer does not matter.
        QVERIFY(!guard.check(requestFrom(u"192.0.2.10"_s, {{name, value}})));
    }

    void wrongOrMissingTokenGives401_data()
    {
        QTest::addColumn<Pitwall::HttpHeaders>("headers");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << Pitwall::HttpHeaders{} << u"admin token required"_s;
        QTest::newRow("wrong") << Pitwall::HttpHeaders{{"X-Admin-Token", "s3cret-tokeN"}}
                               << u"invalid admin token"_s;
        QTest::newRow("prefix") << Pitwall::HttpHeaders{{"X-Admin-Token", "s3cret"}}
                                << u"invalid admin token"_s;
        QTest::newRow("longer") << Pitwall::HttpHeaders{{"Authorization", "Bearer s3cret-token2"}}
                                << u"invalid admin token"_s;
        QTest::newRow("basic scheme") << Pitwall::HttpHeaders{{"Authorization", "Basic s3cret-token"}}
                                      << u"admin token required"_s;
    }

    void wrongOrMissingTokenGives401()
    {
        QFETCH(Pitwall::HttpHeaders, headers);
        QFETCH(QString, message);
        const AdminGuard guard(u"s3cret-token"_s);
        // Loopback is no excuse once a token is configured.
        const std::optional<HttpResponse> refusal = guard.check(requestFrom(u"127.0.0.1"_s, headers));
        QVERIFY(refusal);
        QCOMPARE(refusal->status(), 401);
        QCOMPARE(refusal->header("WWW-Authenticate"), QByteArray(R"(Basic realm="vod-tender admin")"));
        QCOMPARE(envelope(*refusal).value(u"code"_s).toString(), u"UNAUTHORIZED"_s);
        QCOMPARE(envelope(*refusal).value(u"message"_s).toString(), message);
    }

    void basicCredentials_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<bool>("passes");
        QTest::addColumn<QString>("message");
        QTest::newRow("right") << QByteArray("Basic " + QByteArray("ops:correct-horse").toBase64())
                               << true << QString();
        QTest::newRow("scheme any case")
            << QByteArray("basic " + QByteArray("ops:correct-horse").toBase64()) << true << QString();
        QTest::newRow("wrong password")
            << QByteArray("Basic " + QByteArray("ops:correct-horsE").toBase64()) << false
            << u"invalid admin credentials"_s;
        QTest::newRow("no password")
            << QByteArray("Basic " + QByteArray("ops").toBase64()) << false
            << u"invalid admin credentials"_s;
        QTest::newRow("not base64") << QByteArray("Basic ops:correct-horse") << false
                                    << u"invalid admin credentials"_s;
        QTest::newRow("none") << QByteArray() << false << u"admin credentials required"_s;
    }

    void basicCredentials()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(bool, passes);
        QFETCH(QString, message);
        const AdminGuard guard(QString(), u"ops"_s, u"correct-horse"_s);
        QVERIFY(guard.hasBasic());
        Pitwall::HttpHeaders headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        const std::optional<HttpResponse> refusal = guard.check(requestFrom(u"127.0.0.1"_s, headers));
        QCOMPARE(!refusal, passes);
        if (refusal) {
            QCOMPARE(refusal->status(), 401);
            QCOMPARE(envelope(*refusal).value(u"message"_s).toString(), message);
        }
    }

    void tokenAndBasicBothAccepted()
    {
        const AdminGuard guard(u"s3cret-token"_s, u"ops"_s, u"correct-horse"_s);
        QVERIFY(!guard.check(requestFrom(u"192.0.2.10"_s, {{"X-Admin-Token", "s3cret-token"}})));
        QVERIFY(!guard.check(requestFrom(
                u"192.0.2.10"_s,
                {{"Authorization", "Basic " + QByteArray("ops:correct-horse").toBase64()}})));
        // Half a pair configures nothing.
        QVERIFY(!AdminGuard(QString(), u"ops"_s, QString()).hasBasic());
    }

    void withoutTokenLoopbackPeersPass_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::newRow("127.0.0.1") << u"127.0.0.1"_s;
        QTest::newRow("127.8.9.10") << u"127.8.9.10"_s;
        QTest::newRow("::1") << u"::1"_s;
        QTest::newRow("v4-mapped") << u"::ffff:127.0.0.1"_s;
    }

    void withoutTokenLoopbackPeersPass()
    {
        QFETCH(QString, peer);
        const AdminGuard guard;
        QVERIFY(!guard.hasToken());
        QVERIFY(!guard.check(requestFrom(peer)));
    }

    void withoutTokenOtherPeersGet403_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::newRow("192.0.2.10") << u"192.0.2.10"_s;
        QTest::newRow("v4-mapped") << u"::ffff:192.0.2.10"_s;
        QTest::newRow("2001:db8::1") << u"2001:db8::1"_s;
    }

    void withoutTokenOtherPeersGet403()
    {
        QFETCH(QString, peer);
        const AdminGuard guard;
        // A forwarded-for header claiming loopback must not help.
        const std::optional<HttpResponse> refusal =
            guard.check(requestFrom(peer, {{"X-Forwarded-For", "127.0.0.1"}}));
        QVERIFY(refusal);
        QCOMPARE(refusal->status(), 403);
        QCOMPARE(envelope(*refusal).value(u"code"_s).toString(), u"FORBIDDEN"_s);
        QCOMPARE(envelope(*refusal).value(u"message"_s).toString(),
                 u"admin API is restricted to loopback clients unless ADMIN_TOKEN is set"_s);
    }
};

QTEST_APPLESS_MAIN(AdminGuardTest)
#include "adminguard.moc"
