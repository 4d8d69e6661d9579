#pragma once

#include <QStringList>

class QCoreApplication;

namespace Pitwall {

// Loads Pitwall's and Qt's own translations. The language is PITWALL_LANG (e.g. PITWALL_LANG=de)
// if set, else the one chosen in the Settings dialog (ConsoleSettings::language), else the
// system locale's. English source strings need no file.
void installTranslations(QCoreApplication &app);

// The languages the console can be shown in, as locale names ("en", "de", ...): English plus
// every catalogue compiled into the program.
QStringList availableLanguages();

} // namespace Pitwall
