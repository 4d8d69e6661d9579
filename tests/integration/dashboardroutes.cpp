#include "relay/dashboardroutes.h"

#include "httpclient.h"
#include "httptestserver.h"
#include "rawhttpclient.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QByteArray HtmlType = "text/html; charset=utf-8";
const QByteArray SiteIndex = "<!doctype html><title>site</title>";
const QByteArray Secret = "TOP SECRET";

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// The exact request target, past anything QUrl would normalise; HEAD, which
// QNetworkAccessManager only sends as a custom verb and then waits for a body.
RawHttpClient::Response rawRequest(quint16 port, const QByteArray &method, const QByteArray &target)
{
    RawHttpClient client;
    if (!client.connectTo(port))
        return {};
    client.send(method + ' ' + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const QList<RawHttpClient::Response> responses = client.responses(1, 5000, method == "HEAD");
    return responses.isEmpty() ? RawHttpClient::Response{} : responses.first();
}

void expectNotFoundEnvelope(const HttpReply &reply, const QString &path)
{
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(reply.json().object(),
             (QJsonObject{{u"code"_s, u"NOT_FOUND"_s}, {u"message"_s, u"no route for "_s + path}}));
}

} // namespace

// The dashboard's routes on a real HttpServer: built-in files, DASHBOARD_DIR, and what they
// must never answer.
class DashboardRoutesTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // A DASHBOARD_DIR build under m_dir/site, with a secret next to it.
    QString writeSite()
    {
        const QString site = m_dir.filePath(u"site"_s);
        const QList<std::pair<QString, QByteArray>> files{
            {u"index.html"_s, SiteIndex},
            {u"assets/app.js"_s, "console.log(1);"},
            {u"assets/nested/deep/style.css"_s, "body{}"},
            {u"manifest.json"_s, "{}"},
            {u"logo.svg"_s, "<svg/>"},
            {u"logo.png"_s, "\x89PNG"},
            {u"favicon.ico"_s, "ico"},
            {u"robots.txt"_s, "User-agent: *"},
            {u"font.woff2"_s, "wOF2"},
            {u"assets/app.js.map"_s, "{\"version\":3}"},
            {u"blob.bin"_s, "bin"},
        };
        for (const auto &[name, content] : files) {
            if (!writeFile(site + u'/' + name, content))
                qFatal("cannot write the test site");
        }
        if (!writeFile(m_dir.filePath(u"secret.txt"_s), Secret))
            qFatal("cannot write the secret");
        return site;
    }

private slots:
    void builtInDashboardIsServed();
    void builtInJavaScriptParses();
    void dashboardDirServesItsFiles_data();
    void dashboardDirServesItsFiles();
    void unknownPathsFallBackToIndex();
    void reservedPathsStayNotFound_data();
    void reservedPathsStayNotFound();
    void otherRoutesStillWin();
    void otherMethodsAreNotAllowed();
    void nothingOutsideTheDirectory_data();
    void nothingOutsideTheDirectory();
};

void DashboardRoutesTest::builtInDashboardIsServed()
{
    HttpTestServer http;
    registerDashboardRoutes(http.router(), QString());
    QVERIFY(http.start());

    for (const QString &path : {u"/"_s, u"/index.html"_s}) {
        const HttpReply index = HttpClient::get(http.url(path));
        QCOMPARE(index.status, 200);
        QCOMPARE(index.headers.value("content-type"), HtmlType);
        QCOMPARE(index.headers.value("cache-control"), QByteArray("no-cache"));
        QVERIFY(index.body.contains("<script src=\"dashboard.js\""));
    }
    // Everything the page loads is there, with its type, and nothing comes from elsewhere.
    const QByteArray page = HttpClient::get(http.url(u"/"_s)).body;
    static const QRegularExpression reference(u"(?:src|href)=\"([^\"]+)\""_s);
    QStringList assets;
    for (const QRegularExpressionMatch &match : reference.globalMatch(QString::fromUtf8(page)))
        assets.append(match.captured(1));
    assets.sort();
    QCOMPARE(assets, (QStringList{u"dashboard.css"_s, u"dashboard.js"_s, u"favicon.svg"_s}));
    const QHash<QString, QByteArray> types{{u"dashboard.css"_s, "text/css; charset=utf-8"},
                                           {u"dashboard.js"_s, "text/javascript; charset=utf-8"},
                                           {u"favicon.svg"_s, "image/svg+xml"}};
    const auto external = [](QByteArray text) {
        text.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""); // a name, never fetched
        return text.contains("http://") || text.contains("https://");
    };
    for (const QString &asset : assets) {
        const HttpReply reply = HttpClient::get(http.url(u'/' + asset));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value("content-type"), types.value(asset));
        QVERIFY(!reply.headers.contains("cache-control"));
        QVERIFY2(!external(reply.body), qPrintable(asset));
    }
    QVERIFY(!external(page));
    // The built-in page routes nothing on the client: an unknown path is simply not there.
    expectNotFoundEnvelope(HttpClient::get(http.url(u"/streams/1"_s)), u"/streams/1"_s);
}

void DashboardRoutesTest::builtInJavaScriptParses()
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        QSKIP("node is not installed");
    HttpTestServer http;
    registerDashboardRoutes(http.router(), QString());
    QVERIFY(http.start());
    const HttpReply script = HttpClient::get(http.url(u"/dashboard.js"_s));
    QCOMPARE(script.status, 200);
    const QString file = m_dir.filePath(u"dashboard.js"_s);
    QVERIFY(writeFile(file, script.body));

    QProcess check;
    check.start(node, {u"--check"_s, file});
    QVERIFY(check.waitForFinished(30000));
    QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0,
             check.readAllStandardError().constData());
}

void DashboardRoutesTest::dashboardDirServesItsFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("root") << u"/"_s << HtmlType << SiteIndex;
    QTest::newRow("index") << u"/index.html"_s << HtmlType << SiteIndex;
    QTest::newRow("js") << u"/assets/app.js"_s << QByteArray("text/javascript; charset=utf-8")
                        << QByteArray("console.log(1);");
    QTest::newRow("nested css") << u"/assets/nested/deep/style.css"_s
                                << QByteArray("text/css; charset=utf-8") << QByteArray("body{}");
    QTest::newRow("json") << u"/manifest.json"_s << QByteArray("application/json") << QByteArray("{}");
    QTest::newRow("svg") << u"/logo.svg"_s << QByteArray("image/svg+xml") << QByteArray("<svg/>");
    QTest::newRow("png") << u"/logo.png"_s << QByteArray("image/png") << QByteArray("\x89PNG");
    QTest::newRow("ico") << u"/favicon.ico"_s << QByteArray("image/x-icon") << QByteArray("ico");
    QTest::newRow("txt") << u"/robots.txt"_s << QByteArray("text/plain; charset=utf-8")
                         << QByteArray("User-agent: *");
    QTest::newRow("woff2") << u"/font.woff2"_s << QByteArray("font/woff2") << QByteArray("wOF2");
    QTest::newRow("map") << u"/assets/app.js.map"_s << QByteArray("application/json")
                         << QByteArray("{\"version\":3}");
    QTest::newRow("other") << u"/blob.bin"_s << QByteArray("application/octet-stream")
                           << QByteArray("bin");
}

void DashboardRoutesTest::dashboardDirServesItsFiles()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, body);
    HttpTestServer http;
    registerDashboardRoutes(http.router(), writeSite());
    QVERIFY(http.start());

    const HttpReply reply = HttpClient::get(http.url(path));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.headers.value("content-type"), type);
    QCOMPARE(reply.body, body);
    QCOMPARE(reply.headers.value("x-content-type-options"), QByteArray("nosniff"));
    QCOMPARE(reply.headers.contains("cache-control"), type == HtmlType);
}

void DashboardRoutesTest::unknownPathsFallBackToIndex()
{
    HttpTestServer http;
    registerDashboardRoutes(http.router(), writeSite());
    QVERIFY(http.start());

    // Client-side routes, a directory, and the built-in files, which this build replaces.
    for (const QString &path : {u"/streams/abc"_s, u"/assets"_s, u"/assets/nested/"_s,
                                u"/dashboard.js"_s, u"/api-docs"_s}) {
        const HttpReply reply = HttpClient::get(http.url(path));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value("content-type"), HtmlType);
        QCOMPARE(reply.headers.value("cache-control"), QByteArray("no-cache"));
        QCOMPARE(reply.body, SiteIndex);
    }
    const RawHttpClient::Response head = rawRequest(http.port(), "HEAD", "/streams/abc");
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Type"), HtmlType);
    QCOMPARE(head.header("Content-Length"), QByteArray::number(SiteIndex.size()));
}

void DashboardRoutesTest::reservedPathsStayNotFound_data()
{
    QTest::addColumn<bool>("withDirectory");
    QTest::newRow("built-in") << false;
    QTest::newRow("DASHBOARD_DIR") << true;
}

void DashboardRoutesTest::reservedPathsStayNotFound()
{
    QFETCH(bool, withDirectory);
    HttpTestServer http;
    registerDashboardRoutes(http.router(), withDirectory ? writeSite() : QString());
    QVERIFY(http.start());

    for (const QString &path : {u"/api"_s, u"/api/x"_s, u"/api/v1/streams"_s, u"/ws/v1/receivers"_s,
                                u"/healthz"_s, u"/readyz"_s, u"/metrics"_s, u"/status"_s,
                                u"/status/index.html"_s}) {
        expectNotFoundEnvelope(HttpClient::get(http.url(path)), path);
        QCOMPARE(rawRequest(http.port(), "HEAD", path.toUtf8()).status, 404);
    }
}

void DashboardRoutesTest::otherRoutesStillWin()
{
    HttpTestServer http;
    Router &router = http.router();
    router.addRoute("GET", u"/healthz"_s, [](const HttpRequest &) { return HttpResponse::text("ok"); });
    registerDashboardRoutes(router, writeSite());
    // Registered after the dashboard: the order does not matter.
    router.addRoute("GET", u"/api/v1/streams/{stream_id}"_s, [](const HttpRequest &request) {
        return HttpResponse::text(request.pathParams.value(u"stream_id"_s).toUtf8());
    });
    router.addRoute("POST", u"/api/v1/streams/{stream_id}/reset-epoch"_s,
                    [](const HttpRequest &) { return HttpResponse(204); });
    router.addRoute("GET", u"/index.html"_s, [](const HttpRequest &) {
        return HttpResponse::text("literal");
    });
    router.addWebSocketRoute(u"/ws/v1/forwarders"_s,
                             [](std::unique_ptr<QWebSocket>, const HttpRequest &) {});
    QVERIFY(http.start());

    QCOMPARE(HttpClient::get(http.url(u"/healthz"_s)).body, QByteArray("ok"));
    QCOMPARE(HttpClient::get(http.url(u"/api/v1/streams/s1"_s)).body, QByteArray("s1"));
    QCOMPARE(HttpClient::get(http.url(u"/index.html"_s)).body, QByteArray("literal"));
    QCOMPARE(HttpClient::request("POST", http.url(u"/api/v1/streams/s1/reset-epoch"_s)).status, 204);
    // The answers the router gives without a dashboard survive the catch-all.
    const HttpReply getOnPost = HttpClient::get(http.url(u"/api/v1/streams/s1/reset-epoch"_s));
    QCOMPARE(getOnPost.status, 405);
    QCOMPARE(getOnPost.headers.value("allow"), QByteArray("POST"));
    QCOMPARE(getOnPost.json().object().value(u"code"_s).toString(), u"METHOD_NOT_ALLOWED"_s);
    const HttpReply plainGetOnWebSocket = HttpClient::get(http.url(u"/ws/v1/forwarders"_s));
    QCOMPARE(plainGetOnWebSocket.status, 426);
    QCOMPARE(plainGetOnWebSocket.headers.value("upgrade"), QByteArray("websocket"));
    expectNotFoundEnvelope(HttpClient::get(http.url(u"/api/v1/nothing"_s)), u"/api/v1/nothing"_s);
    QCOMPARE(HttpClient::get(http.url(u"/streams/s1"_s)).body, SiteIndex);
}

void DashboardRoutesTest::otherMethodsAreNotAllowed()
{
    HttpTestServer http;
    registerDashboardRoutes(http.router(), writeSite());
    QVERIFY(http.start());

    for (const QByteArray &method : {QByteArray("POST"), QByteArray("PUT"), QByteArray("DELETE")}) {
        for (const QString &path : {u"/"_s, u"/index.html"_s, u"/streams/abc"_s}) {
            const HttpReply reply = HttpClient::request(method, http.url(path));
            QCOMPARE(reply.status, 405);
            QCOMPARE(reply.headers.value("allow"), QByteArray("GET, HEAD"));
            QCOMPARE(reply.json().object().value(u"code"_s).toString(), u"METHOD_NOT_ALLOWED"_s);
        }
    }
}

void DashboardRoutesTest::nothingOutsideTheDirectory_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::newRow("dot-dot") << QByteArray("/../secret.txt") << 400;
    QTest::newRow("encoded dot-dot") << QByteArray("/%2e%2e/secret.txt") << 400;
    QTest::newRow("upper-case encoding") << QByteArray("/%2E%2E/secret.txt") << 400;
    QTest::newRow("deep dot-dot") << QByteArray("/assets/%2e%2e/%2e%2e/secret.txt") << 400;
    QTest::newRow("encoded slash") << QByteArray("/..%2fsecret.txt") << 400;
    QTest::newRow("backslash") << QByteArray("/..%5csecret.txt") << 400;
    QTest::newRow("dot") << QByteArray("/./index.html") << 400;
    QTest::newRow("file symlink out") << QByteArray("/leak.txt") << 404;
    QTest::newRow("directory symlink out") << QByteArray("/up/secret.txt") << 404;
    // Still below the directory: the SPA fallback or the file itself.
    QTest::newRow("empty first segment") << QByteArray("//etc/passwd") << 200;
    QTest::newRow("symlink inside") << QByteArray("/alias.html") << 200;
}

void DashboardRoutesTest::nothingOutsideTheDirectory()
{
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    const QString site = writeSite();
    const QString siteLink = m_dir.filePath(u"site-link"_s);
    const QList<std::pair<QString, QString>> links{{m_dir.filePath(u"secret.txt"_s), site + u"/leak.txt"_s},
                                                   {m_dir.path(), site + u"/up"_s},
                                                   {site + u"/index.html"_s, site + u"/alias.html"_s},
                                                   {site, siteLink}};
    for (const auto &[to, link] : links) {
        QFile::remove(link);
        QVERIFY(QFile::link(to, link));
    }
    // Given through a symlink, the directory is still the one its files must be in.
    HttpTestServer http;
    registerDashboardRoutes(http.router(), siteLink);
    QVERIFY(http.start());

    const RawHttpClient::Response response = rawRequest(http.port(), "GET", target);
    QCOMPARE(response.status, status);
    if (status == 200)
        QCOMPARE(response.body, SiteIndex);
    else
        QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(!response.body.contains(Secret));
    QVERIFY(!response.body.contains("root:"));
}

QTEST_GUILESS_MAIN(DashboardRoutesTest)
#include "dashboardroutes.moc"
