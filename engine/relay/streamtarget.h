#pragma once

#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"

#include <QString>

#include <optional>

namespace Pitwall {

// The {stream_id} and optional {epoch} path parameters of the stream routes, parsed one way
// for all of them.
struct StreamTarget
{
    QString streamId;            // canonical UUID text
    std::optional<qint64> epoch; // set when the route has {epoch}

    // An id that is not a UUID names no stream: *refusal becomes 404 "stream not found". An
    // epoch that is not a decimal integer >= 1 is 400.
    static std::optional<StreamTarget> parse(const HttpRequest &request, HttpResponse *refusal);
};

} // namespace Pitwall
