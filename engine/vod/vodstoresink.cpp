#include "vod/vodstoresink.h"

#include "vod/vodstore.h"

namespace Pitwall {

CatalogSink vodStoreSink(const Database &database)
{
    return [&database](const QString &channel, const QList<HelixVideo> &videos,
                       QString *error) -> std::optional<int> {
        QList<DiscoveredVod> vods;
        vods.reserve(videos.size());
        for (const HelixVideo &video : videos)
            vods.append({video.id, video.title, video.createdAt, video.durationSeconds});
        StoreError storeError;
        const std::optional<int> added =
                VodStore(database).upsertDiscovered(channel, vods, &storeError);
        if (!added)
            *error = storeError.message;
        return added;
    };
}

} // namespace Pitwall
