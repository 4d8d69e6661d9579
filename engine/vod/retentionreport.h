#pragma once

#include <QStringList>

namespace Pitwall {

// What one retention sweep did (or, in a dry run, would have done).
struct RetentionReport
{
    int cleaned = 0;    // files deleted (dry run: that would be)
    int missing = 0;    // rows whose file was already gone: only the path was cleared
    int errors = 0;     // files that could not be deleted; their path stays for the next sweep
    qint64 bytesFreed = 0;
    QStringList files;  // the candidates, oldest first
};

// What one temporary-file cleanup removed.
struct TempCleanupReport
{
    int removed = 0;
    int errors = 0;
    qint64 bytesFreed = 0;
    QStringList files;
};

} // namespace Pitwall
