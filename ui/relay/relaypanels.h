#pragma once

namespace Pitwall {

class EngineHost;
class MainWindow;

// Adds the relay's panels to the console: relay streams, stream detail (following the streams
// panel's selection), device tokens, receivers and cursors. They are fed by the host's relay
// engine and query the database on a worker thread of their own; without a relay engine there
// is nothing to show and nothing is added. Call before the window is first shown.
void addRelayPanels(MainWindow &window, EngineHost &host);

} // namespace Pitwall
