#pragma once

#include "core/http/httpresponse.h"
#include "relay/storeerror.h"

#include <QString>

namespace Pitwall {

// The API answer to a failed relay store call, shared by the relay routes: NotFound -> 404 with
// `notFound` as the message, Invalid -> 400 with the store's message, Unavailable -> 503
// "database unavailable", anything else -> 500 with the reference server's generic message
// (the database's text goes to the log, not to the client).
HttpResponse storeErrorResponse(const StoreError &error,
                                const QString &notFound = QStringLiteral("stream not found"));

} // namespace Pitwall
