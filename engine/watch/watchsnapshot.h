#pragma once

#include "watch/statefile.h"

#include <QString>

namespace Pitwall {

// What the watch engine shows the rest of Pitwall (/status, /readyz, the console), copied out
// of its thread after every change. `state` is exactly what the state file holds.
struct WatchSnapshot
{
    bool started = false;
    QString discovery;     // "proc connector" or "polling"
    QString cgroupLayout;
    QString cgroupBase;
    QString statePath;
    WatchState state;
};

} // namespace Pitwall
