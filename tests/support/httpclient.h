#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QString>

#include <chrono>

// Blocking HTTP calls for tests, through a real QNetworkAccessManager on a local event loop.
// Redirects are not followed.
struct HttpReply
{
    int status = 0;          // 0 when the connection failed
    QString networkError;    // empty on success
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;

    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

namespace HttpClient {

HttpReply request(const QByteArray &method, const QString &url,
                  const QHash<QByteArray, QByteArray> &headers = {},
                  const QByteArray &body = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(15));

inline HttpReply get(const QString &url, const QHash<QByteArray, QByteArray> &headers = {})
{
    return request("GET", url, headers);
}

} // namespace HttpClient
