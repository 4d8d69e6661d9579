#pragma once

#include "vod/chatsettings.h"
#include "vod/downloadsettings.h"
#include "vod/helixsettings.h"
#include "vod/queuesettings.h"
#include "vod/uploadsettings.h"

namespace Pitwall {

// Everything the VOD engine is configured with, one section per part, in AppConfig as `vod`.
struct VodConfig
{
    QueueSettings queue;
    ChatSettings chat;
    // download.dataDir (DATA_DIR) is where media goes; finishVodConfig() makes it
    // <data_dir>/vods when unset.
    DownloadSettings download;
    UploadSettings upload;
    HelixSettings helix;
};

} // namespace Pitwall
