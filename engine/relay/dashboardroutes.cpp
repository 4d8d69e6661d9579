#include "relay/dashboardroutes.h"

#include "core/http/router.h"
#include "core/log/logcategories.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

// The built-in dashboard is compiled into the static engine library. Nothing else references
// that object file, so the linker would drop it (and the files) without this call.
static void initDashboardResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace Pitwall {

namespace {

const QString CatchAll = u"/{*rest}"_s;
const QString IndexFile = u"index.html"_s;

// Where the files come from: the built-in resources, or DASHBOARD_DIR.
struct DashboardFiles
{
    QString prefix;     // ":/dashboard/" or the canonical directory with a trailing '/'
    bool singlePageApp; // unknown paths answer index.html

    // The file at `relative` ("" = index.html); empty when there is no such file, nullopt
    // when the path leads out of the directory.
    std::optional<QString> find(const QString &relative) const
    {
        // The canonical path has every symlink resolved: a link that leads out of the
        // directory no longer starts with its prefix.
        const QString canonical =
            QFileInfo(prefix + (relative.isEmpty() ? IndexFile : relative)).canonicalFilePath();
        if (!canonical.isEmpty() && !canonical.startsWith(prefix))
            return std::nullopt;
        return QFileInfo(canonical).isFile() ? canonical : QString();
    }
};

bool isReserved(const QString &firstSegment)
{
    static const QStringList reserved{u"api"_s,    u"ws"_s,      u"healthz"_s,
                                      u"readyz"_s, u"metrics"_s, u"status"_s};
    return reserved.contains(firstSegment);
}

// False for a decoded segment that could lead somewhere else than below the directory.
bool isPlainSegment(const QString &segment)
{
    return segment != u"."_s && segment != u".."_s && !segment.contains(u'/')
        && !segment.contains(u'\\') && !segment.contains(QChar(0));
}

QByteArray contentType(const QString &path)
{
    static const QHash<QString, QByteArray> types{
        {u"html"_s, "text/html; charset=utf-8"},
        {u"js"_s, "text/javascript; charset=utf-8"},
        {u"css"_s, "text/css; charset=utf-8"},
        {u"json"_s, "application/json"},
        {u"map"_s, "application/json"},
        {u"svg"_s, "image/svg+xml"},
        {u"png"_s, "image/png"},
        {u"ico"_s, "image/x-icon"},
        {u"txt"_s, "text/plain; charset=utf-8"},
        {u"woff2"_s, "font/woff2"},
    };
    return types.value(QFileInfo(path).suffix().toLower(), "application/octet-stream");
}

HttpResponse notFound(const HttpRequest &request)
{
    return HttpResponse::error(404, u"NOT_FOUND"_s, u"no route for %1"_s.arg(request.path));
}

// What the router answers on a reserved path when only the catch-all matched: the 405 of
// another route that takes other methods there (GET on a POST-only API path), the 426 of a
// WebSocket endpoint, else 404 — the same answers as without a dashboard.
HttpResponse withoutDashboard(const Router &router, const HttpRequest &request,
                              const QStringList &segments)
{
    QByteArrayList allowed;
    for (const Router::RouteInfo &route : router.routes()) {
        QString error;
        QHash<QString, QString> params;
        const std::optional<RoutePattern> pattern = RoutePattern::parse(route.pattern, &error);
        if (route.pattern != CatchAll && pattern && pattern->match(segments, &params)
            && !allowed.contains(route.method))
            allowed.append(route.method);
    }
    if (!allowed.isEmpty()) {
        std::sort(allowed.begin(), allowed.end());
        HttpResponse response = HttpResponse::error(
            405, u"%1 is not allowed on %2"_s.arg(QString::fromLatin1(request.method), request.path));
        response.setHeader("Allow", allowed.join(", "));
        return response;
    }
    if (router.matchWebSocket(request.rawPath).found) {
        HttpResponse response =
            HttpResponse::error(426, u"%1 is a WebSocket endpoint"_s.arg(request.path));
        response.setHeader("Upgrade", "websocket");
        return response;
    }
    return notFound(request);
}

HttpResponse fileResponse(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return HttpResponse::error(403, u"%1 cannot be read"_s.arg(QFileInfo(path).fileName()));
    HttpResponse response(200, file.readAll(), {{"Content-Type", contentType(path)}});
    response.setHeader("X-Content-Type-Options", "nosniff");
    // Its asset names carry no version: the page must be revalidated to pick up a new build.
    if (QFileInfo(path).fileName() == IndexFile)
        response.setHeader("Cache-Control", "no-cache");
    return response;
}

HttpResponse answer(const Router &router, const DashboardFiles &files, const HttpRequest &request)
{
    const QStringList segments = RoutePattern::splitPath(request.rawPath);
    if (isReserved(segments.first()))
        return withoutDashboard(router, request, segments);
    if (!std::all_of(segments.cbegin(), segments.cend(), isPlainSegment))
        return HttpResponse::error(400, u"BAD_REQUEST"_s, u"invalid path %1"_s.arg(request.path));
    const std::optional<QString> found = files.find(segments.join(u'/'));
    if (!found)
        return notFound(request); // refused, not answered with the fallback
    QString file = *found;
    if (file.isEmpty() && files.singlePageApp)
        file = files.find(IndexFile).value_or(QString());
    if (file.isEmpty())
        return notFound(request);
    return fileResponse(file);
}

} // namespace

void registerDashboardRoutes(Router &router, const QString &dashboardDir)
{
    static const bool resourcesRegistered = (initDashboardResources(), true);
    Q_UNUSED(resourcesRegistered);

    DashboardFiles files{u":/dashboard/"_s, false};
    if (!dashboardDir.isEmpty()) {
        const QString root = QFileInfo(dashboardDir).canonicalFilePath();
        // An empty prefix would let every absolute path through.
        if (root.isEmpty()) {
            qCWarning(lcHttp).noquote() << "dashboard not served:" << dashboardDir
                                        << "does not exist";
            return;
        }
        files = {root.endsWith(u'/') ? root : root + u'/', true};
    }
    router.addRoute("GET", CatchAll, SyncHandler([&router, files](const HttpRequest &request) {
                        return answer(router, files, request);
                    }));
}

} // namespace Pitwall
