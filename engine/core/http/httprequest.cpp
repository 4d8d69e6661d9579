#include "core/http/httprequest.h"

#include <QUrl>
#include <QUuid>

namespace Pitwall {

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    return std::any_of(headers.cbegin(), headers.cend(), [name](const auto &field) {
        return QByteArrayView(field.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}

void HttpRequest::setTarget(QByteArrayView target)
{
    const qsizetype queryStart = target.indexOf('?');
    rawPath = (queryStart < 0 ? target : target.first(queryStart)).toByteArray();
    path = QUrl::fromPercentEncoding(rawPath);
    query = QUrlQuery();
    if (queryStart >= 0)
        query.setQuery(QString::fromUtf8(target.sliced(queryStart + 1)));
}

namespace CorrelationId {

bool isSane(QByteArrayView candidate)
{
    if (candidate.isEmpty() || candidate.size() > 128)
        return false;
    return std::all_of(candidate.begin(), candidate.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == ':' || c == '-';
    });
}

QString generate()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString forHeaders(const HttpHeaders &headers)
{
    const QByteArray incoming = headerValue(headers, "X-Correlation-ID");
    return isSane(incoming) ? QString::fromLatin1(incoming) : generate();
}

} // namespace CorrelationId

} // namespace Pitwall
