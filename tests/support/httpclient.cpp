#include "httpclient.h"

#include <QBuffer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace HttpClient {

HttpReply request(const QByteArray &method, const QString &url,
                  const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                  std::chrono::milliseconds timeout)
{
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(url)};
    // A test sees every answer as sent, a redirect's Location included.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        request.setRawHeader(it.key(), it.value());
    QBuffer payload;
    payload.setData(body);
    payload.open(QIODevice::ReadOnly);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, &payload);

    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, reply, &QNetworkReply::abort);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeout);
    loop.exec();

    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.networkError = reply->errorString();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    result.body = reply->readAll();
    delete reply;
    return result;
}

} // namespace HttpClient
