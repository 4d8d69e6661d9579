#pragma once

#include "core/http/httpresponse.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QUrlQuery>

namespace Pitwall {

// One HTTP request as handlers see it. A plain value: copy it into work done elsewhere.
struct HttpRequest
{
    QByteArray method;                  // upper case: "GET", "POST", ...
    QString path;                       // percent-decoded, without the query
    QByteArray rawPath;                 // as received; the router splits this one
    QUrlQuery query;
    HttpHeaders headers;
    QByteArray body;
    QHostAddress peerAddress;
    QString correlationId;
    QHash<QString, QString> pathParams; // filled by the router: {stream_id} -> value

    // First value of a header field, compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    bool hasHeader(QByteArrayView name) const;

    // Sets path, rawPath and query from a request target such as "/a%20b?x=1".
    void setTarget(QByteArrayView target);
};

namespace CorrelationId {

// 1..128 characters of [A-Za-z0-9._:-]: safe to echo in headers and log lines.
bool isSane(QByteArrayView candidate);
// A fresh random id (UUIDv4 without braces).
QString generate();
// The request's X-Correlation-ID when it is sane, a fresh one otherwise.
QString forHeaders(const HttpHeaders &headers);

} // namespace CorrelationId

} // namespace Pitwall
