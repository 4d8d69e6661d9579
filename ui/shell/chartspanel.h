#pragma once

#include <QTimer>
#include <QWidget>

namespace Pitwall {

class SlidingChart;
struct ConsoleSample;

// The Charts panel: relay reads/s, VOD queue depth, the VOD queue's download/upload/total
// averages, and CPU and memory of the governed processes, each over the last ten minutes.
// Samples only add points; the charts are redrawn by a timer at a fixed rate.
class ChartsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsPanel)

public:
    static constexpr double WindowSeconds = 600;
    // Samples come once a second (ConsoleFeed) and a pixel of the ten-minute window is about
    // two seconds: drawing more often shows nothing new and costs the GUI thread.
    static constexpr int ReplotIntervalMs = 1000;

    explicit ChartsPanel(QWidget *parent = nullptr);
    ~ChartsPanel() override;

    void addSample(const Pitwall::ConsoleSample &sample);
    QList<SlidingChart *> charts() const;

private:
    void replot();

    SlidingChart *m_reads = nullptr;
    SlidingChart *m_queue = nullptr;
    SlidingChart *m_averages = nullptr;
    SlidingChart *m_processes = nullptr;
    QTimer m_replotTimer;
};

} // namespace Pitwall
