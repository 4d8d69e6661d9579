#pragma once

#include "shell/consolesample.h"

#include <QObject>
#include <QThread>

namespace Pitwall {

class ConsoleSampler;
class EngineHost;

// Runs a ConsoleSampler on a thread of its own for as long as the window lives, and hands its
// samples to the GUI thread (queued).
class ConsoleFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleFeed)

public:
    static constexpr int DefaultIntervalMs = 1000;

    explicit ConsoleFeed(EngineHost &host, int intervalMs = DefaultIntervalMs,
                         QObject *parent = nullptr);
    ~ConsoleFeed() override;

signals:
    void sampled(const Pitwall::ConsoleSample &sample);

private:
    QThread m_thread;
    ConsoleSampler *m_sampler = nullptr; // lives in m_thread
};

} // namespace Pitwall
