#pragma once

#include "vod/downloadfailure.h"

#include <QMetaType>
#include <QString>

namespace Pitwall {

// How a download ended. Canceled is its own outcome, never a failure: it counts no attempt and
// no breaker failure.
struct DownloadResult
{
    enum class Outcome { Succeeded, Failed, Canceled };

    Outcome outcome = Outcome::Failed;
    QString path;            // Succeeded: the complete file
    qint64 size = 0;         // Succeeded: its size on disk
    DownloadFailure failure; // Failed
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::DownloadResult)
Q_DECLARE_METATYPE(Pitwall::DownloadFailure)
