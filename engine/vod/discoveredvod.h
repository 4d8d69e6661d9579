#pragma once

#include <QDateTime>
#include <QString>

namespace Pitwall {

// A VOD as discovery or the catalogue found it, before it is a row of vods.
struct DiscoveredVod
{
    QString id; // Twitch video id
    QString title;
    QDateTime date; // Helix created_at
    qint64 durationSeconds = 0;
};

} // namespace Pitwall
