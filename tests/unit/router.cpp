#include "core/http/router.h"

#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <vector>

using namespace Qt::StringLiterals;
using Pitwall::HttpRequest;
using Pitwall::HttpResponse;
using Pitwall::HttpResponder;
using Pitwall::Router;
using Outcome = Pitwall::Router::Match::Outcome;

namespace {

HttpResponse answer(const QString &name)
{
    return HttpResponse::text(name.toUtf8());
}

Pitwall::SyncHandler named(const QString &name)
{
    return [name](const HttpRequest &) { return answer(name); };
}

} // namespace

class RouterTest : public QObject
{
    Q_OBJECT

private slots:
    void literalRoute()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/healthz"_s, named(u"health"_s)));
        const Router::Match match = router.match("GET", "/healthz");
        QCOMPARE(match.outcome, Outcome::Found);
        QCOMPARE(match.pattern, u"/healthz"_s);
        QVERIFY(match.params.isEmpty());
        QCOMPARE(router.match("GET", "/healthz/").outcome, Outcome::NotFound);
        QCOMPARE(router.match("GET", "/health").outcome, Outcome::NotFound);
    }

    void parametersAreDecoded()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/api/v1/streams/{stream_id}/epochs/{epoch}/export.csv"_s,
                                named(u"export"_s)));
        const Router::Match match =
            router.match("GET", "/api/v1/streams/finish%20line%2Fa/epochs/3/export.csv");
        QCOMPARE(match.outcome, Outcome::Found);
        QCOMPARE(match.params.value(u"stream_id"_s), u"finish line/a"_s);
        QCOMPARE(match.params.value(u"epoch"_s), u"3"_s);
        QCOMPARE(router.match("GET", "/api/v1/streams//epochs/3/export.csv").outcome,
                 Outcome::NotFound);
        QCOMPARE(router.match("GET", "/api/v1/streams/s/epochs/3/export.txt").outcome,
                 Outcome::NotFound);
    }

    void literalBeatsParameterBeatsCatchAll()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/{*rest}"_s, named(u"files"_s)));
        QVERIFY(router.addRoute("GET", u"/api/v1/streams/{id}"_s, named(u"stream"_s)));
        QVERIFY(router.addRoute("GET", u"/api/v1/streams/export"_s, named(u"export"_s)));
        QVERIFY(router.addRoute("GET", u"/api/{*rest}"_s, named(u"api-files"_s)));
        QCOMPARE(router.match("GET", "/api/v1/streams/export").pattern, u"/api/v1/streams/export"_s);
        QCOMPARE(router.match("GET", "/api/v1/streams/s1").pattern, u"/api/v1/streams/{id}"_s);
        QCOMPARE(router.match("GET", "/api/v2/other").pattern, u"/api/{*rest}"_s);
        const Router::Match files = router.match("GET", "/js/app.js");
        QCOMPARE(files.pattern, u"/{*rest}"_s);
        QCOMPARE(files.params.value(u"rest"_s), u"js/app.js"_s);
    }

    void catchAllMatchesEmptyRestButExactRouteWins()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/dashboard/{*rest}"_s, named(u"files"_s)));
        QCOMPARE(router.match("GET", "/dashboard").params.value(u"rest"_s), QString());
        QVERIFY(router.addRoute("GET", u"/dashboard"_s, named(u"index"_s)));
        QCOMPARE(router.match("GET", "/dashboard").pattern, u"/dashboard"_s);
        QCOMPARE(router.match("GET", "/dashboard/").pattern, u"/dashboard/{*rest}"_s);
    }

    void otherMethodGives405WithAllow()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/api/v1/tokens"_s, named(u"list"_s)));
        QVERIFY(router.addRoute("POST", u"/api/v1/tokens"_s, named(u"create"_s)));
        QVERIFY(router.addRoute("DELETE", u"/api/v1/tokens/{id}"_s, named(u"delete"_s)));
        const Router::Match match = router.match("PUT", "/api/v1/tokens");
        QCOMPARE(match.outcome, Outcome::MethodNotAllowed);
        QCOMPARE(match.allowed, (QByteArrayList{"GET", "HEAD", "POST"}));
        QCOMPARE(router.match("GET", "/api/v1/tokens/7").allowed, QByteArrayList{"DELETE"});
        QCOMPARE(router.match("GET", "/api/v1/nothing").outcome, Outcome::NotFound);
    }

    void methodIsCheckedBeforePrecedence()
    {
        // The literal route exists only for DELETE; a GET must still reach the parameter route.
        Router router;
        QVERIFY(router.addRoute("GET", u"/streams/{id}"_s, named(u"get"_s)));
        QVERIFY(router.addRoute("DELETE", u"/streams/all"_s, named(u"delete"_s)));
        QCOMPARE(router.match("GET", "/streams/all").pattern, u"/streams/{id}"_s);
    }

    void headIsServedByGetUnlessRegistered()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/metrics"_s, named(u"metrics"_s)));
        QCOMPARE(router.match("HEAD", "/metrics").outcome, Outcome::Found);
        QCOMPARE(router.match("HEAD", "/metrics").pattern, u"/metrics"_s);
        QVERIFY(router.addRoute("POST", u"/upload"_s, named(u"upload"_s)));
        QCOMPARE(router.match("HEAD", "/upload").outcome, Outcome::MethodNotAllowed);
    }

    void malformedAndAmbiguousRoutesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("pattern");
        QTest::newRow("no leading slash") << QByteArray("GET") << u"api/v1"_s;
        QTest::newRow("partial parameter") << QByteArray("GET") << u"/files/{name}.csv"_s;
        QTest::newRow("catch-all not last") << QByteArray("GET") << u"/{*rest}/x"_s;
        QTest::newRow("duplicate name") << QByteArray("GET") << u"/{id}/{id}"_s;
        QTest::newRow("bad name") << QByteArray("GET") << u"/{1id}"_s;
        QTest::newRow("bad method") << QByteArray("GE T") << u"/ok"_s;
        QTest::newRow("empty method") << QByteArray() << u"/ok"_s;
        QTest::newRow("same shape") << QByteArray("GET") << u"/streams/{other}"_s;
    }

    void malformedAndAmbiguousRoutesAreRefused()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, pattern);
        Router router;
        QVERIFY(router.addRoute("GET", u"/streams/{id}"_s, named(u"stream"_s)));
        QVERIFY(!router.addRoute(method, pattern, named(u"x"_s)));
        QCOMPARE(router.routes().size(), 1);
    }

    void methodsAreUpperCased()
    {
        Router router;
        QVERIFY(router.addRoute("post", u"/x"_s, named(u"x"_s)));
        QCOMPARE(router.routes().first().method, QByteArray("POST"));
        QCOMPARE(router.match("POST", "/x").outcome, Outcome::Found);
    }

    void routeTableIsInspectable()
    {
        Router router;
        QVERIFY(router.addRoute("GET", u"/a"_s, named(u"a"_s)));
        QVERIFY(router.addRoute("DELETE", u"/a/{id}"_s, named(u"d"_s), {.admin = true}));
        QVERIFY(router.addWebSocketRoute(u"/ws/v1/forwarders"_s,
                                         [](std::unique_ptr<QWebSocket>, const HttpRequest &) {}));
        const QList<Router::RouteInfo> routes = router.routes();
        QCOMPARE(routes.size(), 2);
        QCOMPARE(routes[1].method, QByteArray("DELETE"));
        QCOMPARE(routes[1].pattern, u"/a/{id}"_s);
        QVERIFY(routes[1].admin);
        QVERIFY(!routes[0].admin);
        QCOMPARE(router.webSocketRoutes(), QStringList{u"/ws/v1/forwarders"_s});
    }

    void webSocketRoutes()
    {
        Router router;
        const auto none = [](std::unique_ptr<QWebSocket>, const HttpRequest &) {};
        QVERIFY(router.addWebSocketRoute(u"/ws/v1.2/receivers"_s, none));
        QVERIFY(router.addWebSocketRoute(u"/ws/streams/{id}"_s, none));
        QVERIFY(!router.addWebSocketRoute(u"/ws/streams/{other}"_s, none));
        QVERIFY(!router.addWebSocketRoute(u"/ws/nothing"_s, {}));
        QVERIFY(router.matchWebSocket("/ws/v1.2/receivers").found);
        QCOMPARE(router.matchWebSocket("/ws/streams/s7").params.value(u"id"_s), u"s7"_s);
        QVERIFY(!router.matchWebSocket("/ws/v1/receivers").found);
        QCOMPARE(router.match("GET", "/ws/v1.2/receivers").outcome, Outcome::NotFound);
    }

    void registrationFromSeveralThreads()
    {
        Router router;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([&router, t] {
                for (int i = 0; i < 50; ++i) {
                    router.addRoute("GET", u"/t%1/r%2"_s.arg(t).arg(i), named(u"r"_s));
                    router.match("GET", "/t0/r0");
                }
            }));
            threads.back()->start();
        }
        for (const auto &thread : threads)
            QVERIFY(thread->wait(10000));
        QCOMPARE(router.routes().size(), 200);
        QCOMPARE(router.match("GET", "/t3/r49").outcome, Outcome::Found);
    }
};

QTEST_APPLESS_MAIN(RouterTest)
#include "router.moc"
