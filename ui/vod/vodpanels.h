#pragma once

namespace Pitwall {

class EngineHost;
class MainWindow;

// Adds the VOD queue's panels to the console: the queue and the chat (following the queue's
// selection). They are fed by the host's VOD engine and read the database on a worker thread
// of their own; without a VOD engine (no channel configured) nothing is added. Call before the
// window is first shown.
void addVodPanels(MainWindow &window, EngineHost &host);

} // namespace Pitwall
