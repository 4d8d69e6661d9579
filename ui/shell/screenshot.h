#pragma once

class QWidget;

namespace Pitwall {

// For the README's screenshot (tests/gui/screenshot.sh): with PITWALL_SCREENSHOT=<file.png> in
// the environment, `window` is grabbed PITWALL_SCREENSHOT_DELAY_MS after start-up (default 5000,
// time for the panels to fill), saved there, and the application quits. Without it, nothing.
void scheduleScreenshot(QWidget &window);

} // namespace Pitwall
