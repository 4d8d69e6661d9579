#pragma once

namespace Pitwall {

class EngineHost;

// /healthz, /readyz, /status, /metrics, /api/v1/logs and /api/v1/version.
void registerCoreRoutes(EngineHost &host);

} // namespace Pitwall
