#include "core/http/httpresponder.h"

#include "core/http/exchange.h"

namespace Pitwall {

HttpResponder::HttpResponder(std::shared_ptr<Exchange> exchange)
    : m_exchange(std::move(exchange))
{
}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        release();
        m_exchange = std::move(other.m_exchange);
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    release();
}

bool HttpResponder::isOpen() const
{
    return m_exchange && m_exchange->isOpen();
}

QString HttpResponder::correlationId() const
{
    return m_exchange ? m_exchange->request().correlationId : QString();
}

void HttpResponder::send(const HttpResponse &response)
{
    post([response](Exchange &exchange) { exchange.respond(response); });
    m_exchange.reset();
}

void HttpResponder::beginStream(int status, const HttpHeaders &headers)
{
    post([status, headers](Exchange &exchange) { exchange.beginStream(status, headers); });
}

void HttpResponder::write(const QByteArray &data)
{
    post([data](Exchange &exchange) { exchange.write(data); });
}

void HttpResponder::finish()
{
    post([](Exchange &exchange) { exchange.finish(); });
    m_exchange.reset();
}

void HttpResponder::onDisconnected(std::function<void()> callback)
{
    post([callback](Exchange &exchange) { exchange.setOnDisconnected(callback); });
}

void HttpResponder::post(std::function<void(Exchange &)> operation)
{
    if (!m_exchange)
        return;
    std::shared_ptr<Exchange> exchange = m_exchange;
    Exchange *target = exchange.get();
    target->run([exchange = std::move(exchange), operation = std::move(operation)] {
        operation(*exchange);
    });
}

void HttpResponder::release()
{
    post([](Exchange &exchange) { exchange.abandon(); });
    m_exchange.reset();
}

} // namespace Pitwall
