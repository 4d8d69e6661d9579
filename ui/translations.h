#pragma once

class QCoreApplication;

namespace Pitwall {

// Loads Pitwall's and Qt's own translations for the system locale (PITWALL_LANG overrides it,
// e.g. PITWALL_LANG=de). English source strings need no file.
void installTranslations(QCoreApplication &app);

} // namespace Pitwall
