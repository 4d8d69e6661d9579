#pragma once

#include "vod/vodrecord.h"

#include <QJsonObject>

namespace Pitwall {

// The VOD API's JSON (research §3), with the reference's field names first so its frontend and
// scripts keep working, then what the explicit state machine adds. Timestamps are RFC 3339 UTC.
namespace VodJson {

// An item of GET /vods.
QJsonObject summary(const VodRecord &vod);
// GET /vods/{id}.
QJsonObject detail(const VodRecord &vod);
// GET /vods/{id}/progress.
QJsonObject progress(const VodRecord &vod);
// What /vods/{id}/progress shows as percent: bytes/total (0..100), 100 once the download is
// complete or the VOD processed, else 0.
double percent(const VodRecord &vod);

} // namespace VodJson

} // namespace Pitwall
