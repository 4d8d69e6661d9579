#pragma once

#include <QObject>
#include <QTimer>

#include <memory>

namespace Pitwall {

class RetentionSweeper;
struct VodContext;

// A channel pipeline's disk housekeeping on the engine thread: the retention sweep every
// VOD_RETENTION_INTERVAL (when keep-days or keep-count is set) and the removal of stale
// temporary files each cycle, both logged.
class ChannelRetention final : public QObject
{
    Q_OBJECT

public:
    ChannelRetention(VodContext &context, const QString &channel, QObject *parent = nullptr);
    ~ChannelRetention() override;

    // Sweeps now and then on the timer, if retention is configured.
    void start();
    void stop();
    void sweep();
    void cleanTempFiles();
    // Takes the current policy and interval from the configuration (reload).
    void reconfigure();

private:
    bool configured() const;

    VodContext &m_context;
    const QString m_channel;
    std::unique_ptr<RetentionSweeper> m_sweeper;
    QTimer m_timer;
    bool m_started = false;
};

} // namespace Pitwall
