#pragma once

#include <QMetaType>
#include <QString>

namespace Pitwall {

// How one catalog run or discovery of a channel ended.
struct CatalogResult
{
    enum class Kind { Catalog, Discovery };

    QString channel;
    Kind kind = Kind::Catalog;
    int pages = 0;   // /helix/videos pages received
    int videos = 0;  // videos handed to the sink (after the count and age limits)
    int newRows = 0; // of those, the ones the sink had not stored before
    // Why a successful run stopped: "end" (no cursor), "empty page", "max count", "max age",
    // or "one page" (discovery). Empty when it failed.
    QString stoppedBy;
    QString error; // empty when the run succeeded

    bool ok() const { return error.isEmpty(); }
};

} // namespace Pitwall

Q_DECLARE_METATYPE(Pitwall::CatalogResult)
