#pragma once

#include "watch/processinfo.h"

#include <QList>

#include <chrono>

namespace Pitwall {

// One full pass over the proc root.
struct ScanResult
{
    bool ok = false;
    QString error;                  // why the proc root could not be scanned (health counts it)
    QList<ProcessInfo> processes;   // target processes, minus the scanner and its descendants
    int examined = 0;               // pid entries looked at
    std::chrono::microseconds duration{0};
};

} // namespace Pitwall
