#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Pitwall {

// A live broadcast as GET /helix/streams reports it; the list is empty while offline.
struct HelixStream
{
    QDateTime startedAt; // UTC
    QString title;
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::HelixStream)
