#pragma once

#include <QString>

namespace Pitwall {

class Router;

// The web dashboard at "/": GET (and HEAD) of "/", "/index.html", "/dashboard.js", ... answer
// the built-in files (":/dashboard"), or, when `dashboardDir` is set (DASHBOARD_DIR), the files
// of that directory, where unknown paths fall back to its index.html (single-page apps route on
// the client). Nothing outside the directory is served, not even through a symlink.
// Paths whose first segment is api, ws, healthz, readyz, metrics or status never reach the
// dashboard: they answer as if it were not there (404, or 405/426 for other code's routes).
// Registers a catch-all, so every literal or parameter route registered elsewhere still wins.
void registerDashboardRoutes(Router &router, const QString &dashboardDir);

} // namespace Pitwall
