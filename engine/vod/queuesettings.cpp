#include "vod/queuesettings.h"

namespace Pitwall {

QStringList QueueSettings::channelList() const
{
    if (!channels.isEmpty())
        return channels;
    if (!channel.isEmpty())
        return {channel};
    return {};
}

} // namespace Pitwall
