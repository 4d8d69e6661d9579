#pragma once

#include "vod/channelstatus.h"
#include "vod/circuitstate.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace Pitwall {

class CircuitBreaker;
struct StoreError;
struct VodContext;

// A channel pipeline's use of its circuit breaker on the engine thread: asks it before claims,
// feeds it the download outcomes, counts and logs its transitions, and says when an open
// circuit's cooldown is over so the next cycle need not wait for the process interval.
class ChannelCircuit final : public QObject
{
    Q_OBJECT

public:
    ChannelCircuit(VodContext &context, const QString &channel, QObject *parent = nullptr);
    ~ChannelCircuit() override;

    bool enabled() const;
    // Whether a claim may run now (open -> half-open when due). Half-open lets one probe
    // through: only while `probing` (a probe or another download is running) is false.
    bool allowsClaim(bool probing);
    // Whether the stored state is half-open: the job claimed now is the probe.
    bool isHalfOpen() const;
    void recordDownloadSucceeded();
    // A download that failed; only one that `counts` moves the breaker.
    void recordDownloadFailed(bool counts);
    // The circuit's part of the channel's status.
    void fill(ChannelStatus &status) const;
    // Takes the current threshold and cooldown from the configuration (reload).
    void reconfigure();
    void stop();

signals:
    // An open circuit's cooldown is over: run a cycle.
    void cooldownOver();
    // The state may have changed: the status is due again.
    void changed();

private:
    void onUpdate(const std::optional<CircuitUpdate> &update, const StoreError &error);

    VodContext &m_context;
    const QString m_channel;
    std::unique_ptr<CircuitBreaker> m_breaker;
    QTimer m_cooldownTimer;
};

} // namespace Pitwall
