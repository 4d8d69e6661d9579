// libFuzzer target for pitwall-helper's request parser: the one piece of the root helper that
// reads attacker-chosen bytes. Besides crashes and sanitizer reports, it aborts when a parse
// result breaks the parser's contract.
#include "helperrequest.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace Pitwall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                     qsizetype(size));
    QString error;
    HelperStatus status = HelperStatus::Ok;
    const auto request = HelperRequest::parse(input, &error, &status);
    if (!request) {
        // Every refusal says why, with one of the two parse statuses.
        if (error.isEmpty()
            || (status != HelperStatus::Malformed && status != HelperStatus::Refused))
            std::abort();
        return 0;
    }
    // Accepted means in range, with limits exactly for apply, within the size cap...
    const bool apply = request->verb == HelperRequest::Verb::Apply;
    if (size > size_t(HelperRequest::MaxBytes) || request->pid < 1
        || request->pid > HelperRequest::MaxPid
        || request->startTime > quint64(HelperRequest::MaxStartTime)
        || !request->limits.validate(nullptr) || apply == request->limits.isEmpty())
        std::abort();
    // ...and stable: what the client would send for it parses back to the same request.
    const auto again =
        HelperRequest::parse(QJsonDocument(request->toJson()).toJson(), &error, &status);
    if (!again || again->toJson() != request->toJson())
        std::abort();
    return 0;
}
