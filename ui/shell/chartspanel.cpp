#include "shell/chartspanel.h"

#include "shell/consolesample.h"
#include "shell/slidingchart.h"

#include <QGridLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Series indexes, in the order ChartsPanel adds them.
enum AverageSeries { DownloadSeries, UploadSeries, TotalSeries };
enum ProcessSeries { CpuSeries, MemorySeries };

// Distinct on light and dark backgrounds alike.
const QColor Blue(0x1f, 0x77, 0xb4);
const QColor Orange(0xff, 0x7f, 0x0e);
const QColor Green(0x2c, 0xa0, 0x2c);
const QColor Purple(0x94, 0x67, 0xbd);

void addIfSet(SlidingChart *chart, int series, double at, const std::optional<double> &value)
{
    if (value)
        chart->addPoint(series, at, *value);
}

} // namespace

ChartsPanel::ChartsPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"chartsPanel"_s);
    m_reads = new SlidingChart(tr("Relay reads/s"), tr("reads/s"), WindowSeconds);
    m_reads->setObjectName(u"readsChart"_s);
    m_reads->addSeries(tr("reads/s"), Blue);

    m_queue = new SlidingChart(tr("VOD queue depth"), tr("VODs"), WindowSeconds);
    m_queue->setObjectName(u"queueChart"_s);
    m_queue->addSeries(tr("pending"), Blue);

    m_averages = new SlidingChart(tr("VOD processing averages"), tr("seconds"), WindowSeconds);
    m_averages->setObjectName(u"averagesChart"_s);
    m_averages->addSeries(tr("download"), Blue);
    m_averages->addSeries(tr("upload"), Orange);
    m_averages->addSeries(tr("total"), Green);

    m_processes = new SlidingChart(tr("Governed processes"), tr("CPU %"), WindowSeconds);
    m_processes->setObjectName(u"processesChart"_s);
    m_processes->addSeries(tr("CPU"), Orange);
    m_processes->addSeries(tr("memory"), Purple, true, tr("MiB"));

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_reads, 0, 0);
    layout->addWidget(m_queue, 0, 1);
    layout->addWidget(m_averages, 1, 0);
    layout->addWidget(m_processes, 1, 1);

    m_replotTimer.setInterval(ReplotIntervalMs);
    connect(&m_replotTimer, &QTimer::timeout, this, &ChartsPanel::replot);
    m_replotTimer.start();
}

ChartsPanel::~ChartsPanel() = default;

void ChartsPanel::addSample(const ConsoleSample &sample)
{
    const double at = double(sample.at.toMSecsSinceEpoch()) / 1000.0;
    addIfSet(m_reads, 0, at, sample.relayReadsPerSecond);
    addIfSet(m_queue, 0, at, sample.vodQueueDepth);
    addIfSet(m_averages, DownloadSeries, at, sample.avgDownloadSeconds);
    addIfSet(m_averages, UploadSeries, at, sample.avgUploadSeconds);
    addIfSet(m_averages, TotalSeries, at, sample.avgTotalSeconds);
    addIfSet(m_processes, CpuSeries, at, sample.governedCpuPercent);
    if (sample.governedResidentBytes)
        m_processes->addPoint(MemorySeries, at, *sample.governedResidentBytes / (1024.0 * 1024.0));
}

QList<SlidingChart *> ChartsPanel::charts() const
{
    return {m_reads, m_queue, m_averages, m_processes};
}

void ChartsPanel::replot()
{
    // Hidden (a closed dock, a background tab): nothing to draw.
    if (!isVisible())
        return;
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    for (SlidingChart *chart : charts())
        chart->slideTo(now);
}

} // namespace Pitwall
