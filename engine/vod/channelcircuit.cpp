#include "vod/channelcircuit.h"

#include "core/log/logcategories.h"
#include "vod/circuitbreaker.h"
#include "vod/vodcontext.h"
#include "vod/vodmetrics.h"

namespace Pitwall {

ChannelCircuit::ChannelCircuit(VodContext &context, const QString &channel, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_channel(channel)
{
    reconfigure();
    m_cooldownTimer.setSingleShot(true);
    connect(&m_cooldownTimer, &QTimer::timeout, this, &ChannelCircuit::cooldownOver);
}

ChannelCircuit::~ChannelCircuit() = default;

bool ChannelCircuit::enabled() const
{
    return m_breaker->enabled();
}

void ChannelCircuit::reconfigure()
{
    const QueueSettings &queue = m_context.config.queue;
    m_breaker = std::make_unique<CircuitBreaker>(m_context.database, m_channel,
                                                 queue.circuitFailureThreshold,
                                                 queue.circuitOpenCooldown);
}

void ChannelCircuit::stop()
{
    m_cooldownTimer.stop();
}

bool ChannelCircuit::allowsClaim(bool probing)
{
    if (!m_breaker->enabled())
        return true;
    StoreError error;
    const std::optional<CircuitUpdate> update =
            m_breaker->beforeCycle(QDateTime::currentDateTimeUtc(), &error);
    onUpdate(update, error);
    if (!update)
        return false; // the database decides nothing now; the next cycle asks again
    if (!update->allowsWork)
        return false;
    // Half-open: one probe, and nothing else until it has shown whether the media is back.
    return update->snapshot.state != CircuitState::HalfOpen || !probing;
}

bool ChannelCircuit::isHalfOpen() const
{
    StoreError error;
    const std::optional<CircuitSnapshot> circuit = m_breaker->read(&error);
    return m_breaker->enabled() && circuit && circuit->state == CircuitState::HalfOpen;
}

void ChannelCircuit::recordDownloadSucceeded()
{
    StoreError error;
    const std::optional<CircuitUpdate> update = m_breaker->recordSuccess(&error);
    onUpdate(update, error);
}

void ChannelCircuit::recordDownloadFailed(bool counts)
{
    if (!counts || !m_breaker->enabled())
        return;
    m_context.metrics.channel(m_channel).circuitFailures.inc();
    StoreError error;
    const std::optional<CircuitUpdate> update =
            m_breaker->recordFailure(QDateTime::currentDateTimeUtc(), &error);
    onUpdate(update, error);
}

void ChannelCircuit::onUpdate(const std::optional<CircuitUpdate> &update, const StoreError &error)
{
    if (!update) {
        qCWarning(lcVodProcess).noquote() << "channel" << m_channel << "circuit breaker:"
                                          << error.message;
        return;
    }
    if (const auto &change = update->transition) {
        m_context.metrics.circuitTransition(m_channel, toText(change->from), toText(change->to));
        qCWarning(lcVodProcess).noquote() << "channel" << m_channel << "circuit"
                                          << toText(change->from) << "->" << toText(change->to);
    }
    if (update->snapshot.state == CircuitState::Open && update->snapshot.openUntil.isValid()) {
        // The next cycle runs when the cooldown ends, not up to a process interval later.
        const qint64 left = QDateTime::currentDateTimeUtc().msecsTo(update->snapshot.openUntil);
        m_cooldownTimer.start(std::max<qint64>(0, left) + 10);
    }
    emit changed();
}

void ChannelCircuit::fill(ChannelStatus &status) const
{
    status.circuitEnabled = m_breaker->enabled();
    StoreError error;
    if (const std::optional<CircuitSnapshot> circuit = m_breaker->read(&error)) {
        status.circuitState = toText(circuit->state);
        status.circuitFailures = circuit->failures;
        status.circuitOpenUntil = circuit->openUntil;
    }
}

} // namespace Pitwall
