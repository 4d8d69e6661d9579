#pragma once

#include <qcustomplot.h>

namespace Pitwall {

// A live line chart over the last `windowSeconds`: samples are added as they come (oldest
// dropped), and the plot is redrawn only by slideTo(), which the charts panel calls at a fixed
// rate; never per sample. Shows "No data" while no series has a point in the window.
class SlidingChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SlidingChart)

public:
    SlidingChart(const QString &title, const QString &unit, double windowSeconds,
                 QWidget *parent = nullptr);

    // Returns the series' index. `rightAxis`: drawn against a second value axis on the right,
    // whose label is `unit` (for a second quantity in the same chart).
    int addSeries(const QString &name, const QColor &color, bool rightAxis = false,
                  const QString &unit = {});
    // `seconds`: time since the epoch (the key axis shows clock times).
    void addPoint(int series, double seconds, double value);
    bool hasData() const;

    // Moves the window to end at `nowSeconds` and queues a replot.
    void slideTo(double nowSeconds);

private:
    void rescaleValues();

    const double m_window;
    QCPItemText *m_noData = nullptr;
};

} // namespace Pitwall
