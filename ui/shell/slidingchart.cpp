#include "shell/slidingchart.h"

namespace Pitwall {

SlidingChart::SlidingChart(const QString &title, const QString &unit, double windowSeconds,
                           QWidget *parent)
    : QCustomPlot(parent)
    , m_window(windowSeconds)
{
    setMinimumSize(220, 160);
    // Live data, redrawn often: antialiasing costs more than it shows at this size.
    setNotAntialiasedElements(QCP::aeAll);
    setBackground(palette().base());
    const QColor text = palette().text().color();
    for (QCPAxis *axis : {xAxis, yAxis, yAxis2}) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
    }
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm"));
    ticker->setDateTimeSpec(Qt::LocalTime);
    xAxis->setTicker(ticker);
    yAxis->setLabel(unit);
    yAxis->setRange(0, 1);

    plotLayout()->insertRow(0);
    auto *heading = new QCPTextElement(this, title);
    heading->setTextColor(text);
    plotLayout()->addElement(0, 0, heading);

    legend->setVisible(true);
    legend->setBrush(palette().base());
    legend->setTextColor(text);
    legend->setBorderPen(QPen(palette().mid().color()));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    m_noData = new QCPItemText(this);
    m_noData->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_noData->position->setCoords(0.5, 0.5);
    m_noData->setText(tr("No data"));
    m_noData->setColor(palette().placeholderText().color());
}

int SlidingChart::addSeries(const QString &name, const QColor &color, bool rightAxis,
                            const QString &unit)
{
    QCPGraph *graph = addGraph(xAxis, rightAxis ? yAxis2 : yAxis);
    graph->setName(name);
    graph->setPen(QPen(color));
    if (rightAxis) {
        yAxis2->setVisible(true);
        yAxis2->setLabel(unit);
        yAxis2->setRange(0, 1);
    }
    return graphCount() - 1;
}

void SlidingChart::addPoint(int series, double seconds, double value)
{
    QCPGraph *target = graph(series);
    target->addData(seconds, value);
    target->data()->removeBefore(seconds - m_window);
}

bool SlidingChart::hasData() const
{
    for (int i = 0; i < graphCount(); ++i) {
        if (!graph(i)->data()->isEmpty())
            return true;
    }
    return false;
}

void SlidingChart::slideTo(double nowSeconds)
{
    // A series that stopped getting samples ages out too.
    for (int i = 0; i < graphCount(); ++i)
        graph(i)->data()->removeBefore(nowSeconds - m_window);
    xAxis->setRange(nowSeconds - m_window, nowSeconds);
    m_noData->setVisible(!hasData());
    rescaleValues();
    replot(rpQueuedReplot);
}

void SlidingChart::rescaleValues()
{
    for (QCPAxis *axis : {yAxis, yAxis2}) {
        bool found = false;
        QCPRange range(0, 1);
        for (QCPGraph *graph : axis->graphs()) {
            bool foundHere = false;
            const QCPRange values = graph->getValueRange(foundHere);
            if (foundHere) {
                range.upper = found ? std::max(range.upper, values.upper) : values.upper;
                found = true;
            }
        }
        // From zero, with headroom: a rate or a depth reads best against its baseline.
        axis->setRange(0, found && range.upper > 0 ? range.upper * 1.15 : 1);
    }
}

} // namespace Pitwall
