#include "relay/streamtarget.h"

#include "relay/storesql.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

std::optional<StreamTarget> StreamTarget::parse(const HttpRequest &request, HttpResponse *refusal)
{
    StreamTarget target;
    const std::optional<QString> id =
            StoreSql::streamId(request.pathParams.value(u"stream_id"_s), nullptr);
    if (!id) {
        *refusal = HttpResponse::error(404, u"stream not found"_s);
        return std::nullopt;
    }
    target.streamId = *id;
    const auto epochParam = request.pathParams.constFind(u"epoch"_s);
    if (epochParam == request.pathParams.cend())
        return target;
    // Digits only: toLongLong alone would also take "+3" or " 3".
    const QString &text = *epochParam;
    bool ok = !text.isEmpty()
            && std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isDigit(); });
    const qint64 epoch = ok ? text.toLongLong(&ok) : 0;
    if (!ok || epoch < 1) {
        *refusal = HttpResponse::error(400, u"epoch must be an integer >= 1"_s);
        return std::nullopt;
    }
    target.epoch = epoch;
    return target;
}

} // namespace Pitwall
