#pragma once

#include "vod/helixvideo.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Pitwall {

// Where a catalog run puts each page's videos (VodStore's discovered upsert): stores the ones
// it does not have yet and returns how many those were, or std::nullopt with *error (the run
// then fails and the page's cursor is not saved). Runs on the scanner's thread.
using CatalogSink = std::function<std::optional<int>(
        const QString &channel, const QList<HelixVideo> &videos, QString *error)>;

} // namespace Pitwall
