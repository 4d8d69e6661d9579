#pragma once

#include <QJsonObject>

#include <functional>

namespace Pitwall {

// Where the relay's REST routes report changes the dashboard SSE should see, e.g.
// {"type":"stream_updated","stream_id":"...","display_alias":"Finish"} after a rename.
using StreamEventSink = std::function<void(const QJsonObject &event)>;

} // namespace Pitwall
