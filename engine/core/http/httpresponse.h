#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

class QJsonArray;
class QJsonDocument;
class QJsonObject;

namespace Pitwall {

// Header fields in the order they were received or set; names compare case-insensitively.
using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// A complete HTTP response: status, headers and body. The server adds Content-Length,
// Connection and X-Correlation-ID itself when it writes the response.
class HttpResponse final
{
public:
    HttpResponse() = default;
    explicit HttpResponse(int status, QByteArray body = {}, HttpHeaders headers = {});

    static HttpResponse json(const QJsonDocument &document, int status = 200);
    static HttpResponse json(const QJsonObject &object, int status = 200);
    static HttpResponse json(const QJsonArray &array, int status = 200);
    static HttpResponse text(const QByteArray &text, int status = 200,
                             const QByteArray &contentType = "text/plain; charset=utf-8");
    static HttpResponse text(const QByteArray &text, const QByteArray &contentType,
                             int status = 200);
    // The envelope every API client of the relay expects: {"code":"NOT_FOUND","message":"..."}.
    static HttpResponse error(int status, const QString &code, const QString &message);
    // Same, with the code that belongs to the status (404 -> NOT_FOUND, ...).
    static HttpResponse error(int status, const QString &message);

    // The envelope code for a status: BAD_REQUEST, UNAUTHORIZED, ..., INTERNAL_ERROR.
    static QString errorCode(int status);
    static QByteArray reasonPhrase(int status);

    int status() const { return m_status; }
    void setStatus(int status) { m_status = status; }
    const HttpHeaders &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const;
    // Replaces every field of that name.
    void setHeader(const QByteArray &name, const QByteArray &value);
    const QByteArray &body() const { return m_body; }
    void setBody(QByteArray body) { m_body = std::move(body); }

private:
    int m_status = 200;
    HttpHeaders m_headers;
    QByteArray m_body;
};

// First value of a header field, compared case-insensitively; empty when absent.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

} // namespace Pitwall
