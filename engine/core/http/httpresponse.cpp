#include "core/http/httpresponse.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QByteArray JsonContentType = "application/json";

} // namespace

HttpResponse::HttpResponse(int status, QByteArray body, HttpHeaders headers)
    : m_status(status)
    , m_headers(std::move(headers))
    , m_body(std::move(body))
{
}

HttpResponse HttpResponse::json(const QJsonDocument &document, int status)
{
    return HttpResponse(status, document.toJson(QJsonDocument::Compact),
                        {{"Content-Type", JsonContentType}});
}

HttpResponse HttpResponse::json(const QJsonObject &object, int status)
{
    return json(QJsonDocument(object), status);
}

HttpResponse HttpResponse::json(const QJsonArray &array, int status)
{
    return json(QJsonDocument(array), status);
}

HttpResponse HttpResponse::text(const QByteArray &text, int status, const QByteArray &contentType)
{
    return HttpResponse(status, text, {{"Content-Type", contentType}});
}

HttpResponse HttpResponse::text(const QByteArray &text, const QByteArray &contentType, int status)
{
    return HttpResponse::text(text, status, contentType);
}

HttpResponse HttpResponse::error(int status, const QString &code, const QString &message)
{
    return json(QJsonObject{{u"code"_s, code}, {u"message"_s, message}}, status);
}

HttpResponse HttpResponse::error(int status, const QString &message)
{
    return error(status, errorCode(status), message);
}

QString HttpResponse::errorCode(int status)
{
    static const QHash<int, QString> codes{
        {400, u"BAD_REQUEST"_s},         {401, u"UNAUTHORIZED"_s},
        {403, u"FORBIDDEN"_s},           {404, u"NOT_FOUND"_s},
        {405, u"METHOD_NOT_ALLOWED"_s},  {408, u"REQUEST_TIMEOUT"_s},
        {409, u"CONFLICT"_s},            {413, u"PAYLOAD_TOO_LARGE"_s},
        {503, u"SERVICE_UNAVAILABLE"_s},
    };
    if (const auto it = codes.constFind(status); it != codes.cend())
        return *it;
    // Clients switch over this closed set of codes, so other statuses map onto its catch-alls.
    return status >= 500 ? u"INTERNAL_ERROR"_s : u"BAD_REQUEST"_s;
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases{
        {100, "Continue"}, {101, "Switching Protocols"},
        {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"},
        {206, "Partial Content"},
        {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"}, {304, "Not Modified"},
        {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
        {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"},
        {405, "Method Not Allowed"}, {406, "Not Acceptable"}, {408, "Request Timeout"},
        {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"},
        {412, "Precondition Failed"}, {413, "Payload Too Large"}, {414, "URI Too Long"},
        {415, "Unsupported Media Type"}, {416, "Range Not Satisfiable"},
        {422, "Unprocessable Content"}, {426, "Upgrade Required"}, {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
        {503, "Service Unavailable"}, {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
    };
    return phrases.value(status, "Unknown");
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    return headerValue(m_headers, name);
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    m_headers.removeIf([&name](const auto &field) {
        return field.first.compare(name, Qt::CaseInsensitive) == 0;
    });
    m_headers.append({name, value});
}

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &field : headers) {
        if (QByteArrayView(field.first).compare(name, Qt::CaseInsensitive) == 0)
            return field.second;
    }
    return {};
}

} // namespace Pitwall
