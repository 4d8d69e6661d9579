// The Charts panel: samples only add points, redraws come from the panel's timer at a fixed
// rate however fast samples arrive, the window slides, and an empty chart says "No data".
#include "shell/chartspanel.h"
#include "shell/consolesample.h"
#include "shell/slidingchart.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

bool showsNoData(const SlidingChart &chart)
{
    for (int i = 0; i < chart.itemCount(); ++i) {
        if (auto *text = qobject_cast<QCPItemText *>(chart.item(i)); text && text->text() == u"No data")
            return text->visible();
    }
    return false;
}

ConsoleSample relaySample(double readsPerSecond)
{
    ConsoleSample sample;
    sample.at = QDateTime::currentDateTimeUtc();
    sample.relayReadsPerSecond = readsPerSecond;
    return sample;
}

} // namespace

class ChartsPanelTest final : public QObject
{
    Q_OBJECT

private slots:
    void replotRateIsBoundedBySamplesArrivingFast()
    {
        ChartsPanel panel;
        panel.resize(800, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QList<SlidingChart *> charts = panel.charts();
        QCOMPARE(charts.size(), 4);
        QList<int> replots(charts.size(), 0);
        for (int i = 0; i < charts.size(); ++i)
            connect(charts[i], &QCustomPlot::afterReplot, this, [&replots, i] { ++replots[i]; });

        QElapsedTimer clock;
        clock.start();
        int samples = 0;
        while (clock.elapsed() < 2000) {
            for (int burst = 0; burst < 50; ++burst) {
                ConsoleSample sample = relaySample(samples);
                sample.vodQueueDepth = samples % 7;
                sample.governedCpuPercent = 50;
                sample.governedResidentBytes = 1 << 20;
                panel.addSample(sample);
                ++samples;
            }
            QTest::qWait(5);
        }
        const qint64 elapsed = clock.elapsed();
        QVERIFY(samples > 1000);
        // At most one replot per timer tick (plus one for the show), never one per sample.
        const int allowed = int(elapsed / ChartsPanel::ReplotIntervalMs) + 2;
        for (int i = 0; i < charts.size(); ++i)
            QVERIFY2(replots[i] <= allowed, qPrintable(u"%1 replots, %2 allowed"_s.arg(replots[i]).arg(allowed)));
        QVERIFY(replots[0] >= 1);
    }

    void emptyChartsSayNoData()
    {
        ChartsPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QList<SlidingChart *> charts = panel.charts();
        // Nothing sampled yet: the VOD queue, for one, has no engine in this test.
        panel.addSample(relaySample(12));
        QTest::qWait(ChartsPanel::ReplotIntervalMs * 2);
        QVERIFY(!showsNoData(*charts[0]));
        for (int i = 1; i < charts.size(); ++i)
            QVERIFY2(showsNoData(*charts[i]), qPrintable(charts[i]->objectName()));
    }

    void windowSlides()
    {
        SlidingChart chart(u"t"_s, u"u"_s, 600);
        const int series = chart.addSeries(u"s"_s, Qt::blue);
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        chart.addPoint(series, now - 1200, 1);
        chart.addPoint(series, now - 300, 2);
        QCOMPARE(chart.graph(series)->dataCount(), 1); // the first is older than the window
        chart.slideTo(now + 400);
        QCOMPARE(chart.graph(series)->dataCount(), 0);
        QVERIFY(!chart.hasData());
        QCOMPARE(chart.xAxis->range().upper, now + 400);
        QCOMPARE(chart.xAxis->range().lower, now - 200);
    }
};

QTEST_MAIN(ChartsPanelTest)
#include "chartspanel.moc"
