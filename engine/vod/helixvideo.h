#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Pitwall {

// One archived broadcast as Helix lists it (GET /helix/videos, type=archive).
struct HelixVideo
{
    QString id;
    QString title;
    qint64 durationSeconds = 0; // 0 when Helix's duration text does not parse
    QDateTime createdAt;        // UTC; the broadcast's start
};

// One page of /helix/videos; an empty cursor means there is no next page.
struct HelixVideoPage
{
    QList<HelixVideo> videos;
    QString cursor;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::HelixVideo)
