#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;
namespace CorrelationId = Pitwall::CorrelationId;

class HttpMessageTest : public QObject
{
    Q_OBJECT

private slots:
    void errorEnvelope()
    {
        const HttpResponse response = HttpResponse::error(404, u"NOT_FOUND"_s, u"stream not found"_s);
        QCOMPARE(response.status(), 404);
        QCOMPARE(response.header("content-type"), QByteArray("application/json"));
        QCOMPARE(response.body(), QByteArray(R"({"code":"NOT_FOUND","message":"stream not found"})"));
    }

    void errorCodesFollowStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("400") << 400 << u"BAD_REQUEST"_s;
        QTest::newRow("401") << 401 << u"UNAUTHORIZED"_s;
        QTest::newRow("403") << 403 << u"FORBIDDEN"_s;
        QTest::newRow("404") << 404 << u"NOT_FOUND"_s;
        QTest::newRow("405") << 405 << u"METHOD_NOT_ALLOWED"_s;
        QTest::newRow("408") << 408 << u"REQUEST_TIMEOUT"_s;
        QTest::newRow("409") << 409 << u"CONFLICT"_s;
        QTest::newRow("413") << 413 << u"PAYLOAD_TOO_LARGE"_s;
        QTest::newRow("431") << 431 << u"BAD_REQUEST"_s;
        QTest::newRow("500") << 500 << u"INTERNAL_ERROR"_s;
        QTest::newRow("503") << 503 << u"SERVICE_UNAVAILABLE"_s;
    }

    void errorCodesFollowStatus()
    {
        QFETCH(int, status);
        QFETCH(QString, code);
        QCOMPARE(HttpResponse::errorCode(status), code);
        const QJsonObject body = QJsonDocument::fromJson(HttpResponse::error(status, u"m"_s).body()).object();
        QCOMPARE(body.value(u"code"_s).toString(), code);
    }

    void factories()
    {
        const HttpResponse array = HttpResponse::json(QJsonArray{1, 2}, 201);
        QCOMPARE(array.status(), 201);
        QCOMPARE(array.body(), QByteArray("[1,2]"));
        const HttpResponse text = HttpResponse::text("ok");
        QCOMPARE(text.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
        const HttpResponse csv = HttpResponse::text("a,b\n", 200, "text/csv");
        QCOMPARE(csv.header("content-type"), QByteArray("text/csv"));
        const HttpResponse metrics = HttpResponse::text("m 1\n", "text/plain; version=0.0.4", 503);
        QCOMPARE(metrics.header("content-type"), QByteArray("text/plain; version=0.0.4"));
        QCOMPARE(metrics.status(), 503);
    }

    void setHeaderReplacesAnyCase()
    {
        HttpResponse response = HttpResponse::text("x");
        response.setHeader("CONTENT-TYPE", "text/html");
        QCOMPARE(response.headers().size(), 1);
        QCOMPARE(response.header("Content-Type"), QByteArray("text/html"));
    }

    void reasonPhrases()
    {
        QCOMPARE(HttpResponse::reasonPhrase(431), QByteArray("Request Header Fields Too Large"));
        QCOMPARE(HttpResponse::reasonPhrase(299), QByteArray("Unknown"));
    }

    void targetIsSplitAndDecoded()
    {
        HttpRequest request;
        request.setTarget("/api/v1/streams/finish%20line?since=5&name=a%20b");
        QCOMPARE(request.rawPath, QByteArray("/api/v1/streams/finish%20line"));
        QCOMPARE(request.path, u"/api/v1/streams/finish line"_s);
        QCOMPARE(request.query.queryItemValue(u"since"_s), u"5"_s);
        QCOMPARE(request.query.queryItemValue(u"name"_s, QUrl::FullyDecoded), u"a b"_s);
        request.setTarget("/plain");
        QVERIFY(request.query.isEmpty());
    }

    void headersAreCaseInsensitive()
    {
        HttpRequest request;
        request.headers = {{"X-Admin-Token", "one"}, {"x-admin-token", "two"}};
        QCOMPARE(request.header("x-ADMIN-token"), QByteArray("one"));
        QVERIFY(request.hasHeader("X-ADMIN-TOKEN"));
        QVERIFY(!request.hasHeader("Authorization"));
        QCOMPARE(request.header("Authorization"), QByteArray());
    }

    void correlationIdSanity_data()
    {
        QTest::addColumn<QByteArray>("candidate");
        QTest::addColumn<bool>("sane");
        QTest::newRow("uuid") << QByteArray("0b6d1a8e-3d2c-4c3e-9d7a-1a2b3c4d5e6f") << true;
        QTest::newRow("punctuation") << QByteArray("req.42_a:b-c") << true;
        QTest::newRow("128 chars") << QByteArray(128, 'a') << true;
        QTest::newRow("129 chars") << QByteArray(129, 'a') << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("space") << QByteArray("a b") << false;
        QTest::newRow("CRLF") << QByteArray("a\r\nX-Evil: 1") << false;
        QTest::newRow("non-ascii") << QByteArray("caf\xc3\xa9") << false;
    }

    void correlationIdSanity()
    {
        QFETCH(QByteArray, candidate);
        QFETCH(bool, sane);
        QCOMPARE(CorrelationId::isSane(candidate), sane);
        const QString chosen = CorrelationId::forHeaders({{"x-correlation-id", candidate}});
        if (sane)
            QCOMPARE(chosen, QString::fromLatin1(candidate));
        else
            QCOMPARE(QUuid::fromString(chosen).version(), QUuid::Random);
    }

    void generatedIdsAreFreshUuids()
    {
        const QString a = CorrelationId::generate();
        QCOMPARE(QUuid::fromString(a).version(), QUuid::Random);
        QVERIFY(CorrelationId::isSane(a.toLatin1()));
        QVERIFY(a != CorrelationId::generate());
    }
};

QTEST_APPLESS_MAIN(HttpMessageTest)
#include "httpmessage.moc"
