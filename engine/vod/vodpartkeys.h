#pragma once

#include "core/config/configkey.h"

namespace Pitwall {

// The keys of the parts' settings (ChatSettings, DownloadSettings, UploadSettings,
// HelixSettings, OAuthSettings), part of vodConfigKeys().
QList<ConfigKey> chatConfigKeys();
QList<ConfigKey> downloadConfigKeys();
QList<ConfigKey> uploadConfigKeys();
QList<ConfigKey> helixConfigKeys();
QList<ConfigKey> oauthConfigKeys();

} // namespace Pitwall
