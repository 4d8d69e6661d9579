#include "relay/storeerrorresponse.h"

#include "core/log/logcategories.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

HttpResponse storeErrorResponse(const StoreError &error, const QString &notFound)
{
    switch (error.kind) {
    case StoreError::Kind::NotFound:
        return HttpResponse::error(404, notFound);
    case StoreError::Kind::Invalid:
        return HttpResponse::error(400, error.message);
    case StoreError::Kind::Unavailable:
        return HttpResponse::error(503, u"database unavailable"_s);
    case StoreError::Kind::Busy:
        return HttpResponse::error(503, u"database busy, try again"_s);
    case StoreError::Kind::None:
    case StoreError::Kind::Failed:
        break;
    }
    qCWarning(lcDb).noquote() << "relay store failed:" << error.message;
    return HttpResponse::error(500, u"An internal error occurred"_s);
}

} // namespace Pitwall
