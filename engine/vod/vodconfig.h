#pragma once

#include "vod/chatsettings.h"
#include "vod/downloadsettings.h"
#include "vod/helixsettings.h"
#include "vod/oauthsettings.h"
#include "vod/queuesettings.h"
#include "vod/uploadsettings.h"

#include <memory>

namespace Pitwall {

struct ConfigSources;

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
    OAuthSettings oauth;
    // What loadAppConfig() read this from, read again by VodEngine::reload(); null when the
    // configuration was built in code (nothing to re-read).
    std::shared_ptr<const ConfigSources> sources;
};

} // namespace Pitwall
