#pragma once

#include "shell/consolesample.h"
#include "shell/processusage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Pitwall {

class EngineComponent;
class EngineHost;

// Takes a ConsoleSample every interval on the thread it lives in (never the GUI thread: it
// renders the metrics and reads procfs): relay reads/s from relay_events_received_total, the VOD
// queue's depth and averages from the "vod" component's status, the governed processes from the
// watch component's snapshot with their CPU and memory.
class ConsoleSampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleSampler)

public:
    ConsoleSampler(EngineHost &host, int intervalMs, QString procRoot = QStringLiteral("/proc"),
                   QObject *parent = nullptr);

public slots:
    void start();
    void stop();
    void sample();

signals:
    void sampled(const Pitwall::ConsoleSample &sample);

private:
    std::shared_ptr<EngineComponent> component(const QString &name) const;
    void sampleRelay(const QByteArray &metrics, ConsoleSample &sample);
    void sampleVod(ConsoleSample &sample) const;
    void sampleWatch(ConsoleSample &sample);

    EngineHost &m_host;
    QTimer m_timer;
    QElapsedTimer m_clock;
    ProcessUsageMeter m_usage;
    std::optional<double> m_lastReads;
    qint64 m_lastReadsAtMs = 0;
};

} // namespace Pitwall
