#include "core/metrics/metricnaming.h"

#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using Pitwall::MetricNaming;
using Pitwall::MetricType;

Q_DECLARE_METATYPE(Pitwall::MetricType)

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

} // namespace

class TestMetricNaming final : public QObject
{
    Q_OBJECT

private slots:
    void metricNames_data();
    void metricNames();
    void labelNames_data();
    void labelNames();
    void definitionProblems_data();
    void definitionProblems();
    void bucketProblems_data();
    void bucketProblems();
};

void TestMetricNaming::metricNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("snake") << u"vod_queue_depth"_s << true;
    QTest::newRow("leading underscore") << u"_hidden"_s << true;
    QTest::newRow("digits inside") << u"http2_requests_total"_s << true;
    QTest::newRow("upper case") << u"HTTP_requests"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("leading digit") << u"2xx_total"_s << false;
    QTest::newRow("colon") << u"job:rate5m"_s << false;
    QTest::newRow("dash") << u"queue-depth"_s << false;
    QTest::newRow("space") << u"queue depth"_s << false;
    QTest::newRow("non ascii") << u"zähler_total"_s << false;
}

void TestMetricNaming::metricNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(MetricNaming::isValidMetricName(name), valid);
}

void TestMetricNaming::labelNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << u"channel"_s << true;
    QTest::newRow("single underscore") << u"_internal"_s << true;
    QTest::newRow("reserved prefix") << u"__name__"_s << false;
    QTest::newRow("colon") << u"a:b"_s << false;
    QTest::newRow("leading digit") << u"1st"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestMetricNaming::labelNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(MetricNaming::isValidLabelName(name), valid);
}

void TestMetricNaming::definitionProblems_data()
{
    QTest::addColumn<MetricType>("type");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("help");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QString>("problem"); // a substring of the message; empty when accepted

    const QString help = u"Help"_s;
    const auto c = MetricType::Counter;
    const auto g = MetricType::Gauge;
    const auto h = MetricType::Histogram;
    QTest::newRow("good counter") << c << u"jobs_total"_s << help << QStringList{u"channel"_s}
                                  << QString();
    QTest::newRow("good gauge") << g << u"queue_depth"_s << help << QStringList() << QString();
    QTest::newRow("good histogram") << h << u"job_duration_seconds"_s << help << QStringList()
                                    << QString();
    QTest::newRow("bad name") << g << u"queue:depth"_s << help << QStringList()
                              << u"not a valid metric name"_s;
    QTest::newRow("no help") << g << u"queue_depth"_s << u" "_s << QStringList()
                             << u"has no help text"_s;
    QTest::newRow("counter suffix") << c << u"jobs"_s << help << QStringList()
                                    << u"must end in _total"_s;
    for (const char *suffix : {"_total", "_count", "_sum", "_bucket"}) {
        const QString name = "queue_depth"_L1 + QLatin1String(suffix);
        QTest::addRow("gauge%s", suffix) << g << name << help << QStringList()
                                         << u"must not end in %1"_s.arg(QLatin1String(suffix));
        QTest::addRow("histogram%s", suffix)
            << h << name << help << QStringList()
            << u"must not end in %1"_s.arg(QLatin1String(suffix));
    }
    QTest::newRow("camel case name") << g << u"queueDepth"_s << help << QStringList()
                                     << u"must be snake_case"_s;
    QTest::newRow("type in name") << g << u"queue_gauge"_s << help << QStringList()
                                  << u"must not contain its type"_s;
    QTest::newRow("abbreviated unit") << g << u"job_duration_ms"_s << help << QStringList()
                                      << u"abbreviated unit \"ms\""_s;
    QTest::newRow("non-base unit") << g << u"disk_free_kilobytes"_s << help << QStringList()
                                   << u"unit \"kilobytes\""_s;
    QTest::newRow("time unit") << g << u"retention_days"_s << help << QStringList()
                               << u"unit \"days\""_s;
    QTest::newRow("bad label") << g << u"queue_depth"_s << help << QStringList{u"a-b"_s}
                               << u"not a valid label name"_s;
    QTest::newRow("reserved label") << g << u"queue_depth"_s << help
                                    << QStringList{u"__name__"_s} << u"not a valid label name"_s;
    QTest::newRow("le on histogram") << h << u"job_duration_seconds"_s << help
                                     << QStringList{u"le"_s} << u"\"le\" is reserved"_s;
    QTest::newRow("le on gauge") << g << u"queue_depth"_s << help << QStringList{u"le"_s}
                                 << u"\"le\" is reserved"_s;
    QTest::newRow("quantile") << c << u"jobs_total"_s << help << QStringList{u"quantile"_s}
                              << u"\"quantile\" is reserved"_s;
    QTest::newRow("camel case label") << c << u"jobs_total"_s << help
                                      << QStringList{u"channelName"_s} << u"snake_case"_s;
    QTest::newRow("label twice") << c << u"jobs_total"_s << help
                                 << QStringList{u"a"_s, u"b"_s, u"a"_s} << u"listed twice"_s;
}

void TestMetricNaming::definitionProblems()
{
    QFETCH(MetricType, type);
    QFETCH(QString, name);
    QFETCH(QString, help);
    QFETCH(QStringList, labels);
    QFETCH(QString, problem);
    const QString actual = MetricNaming::definitionProblem(type, name, help, labels);
    if (problem.isEmpty())
        QVERIFY2(actual.isEmpty(), qPrintable(actual));
    else
        QVERIFY2(actual.contains(problem), qPrintable(u"got: "_s + actual));
}

void TestMetricNaming::bucketProblems_data()
{
    QTest::addColumn<QList<double>>("bounds");
    QTest::addColumn<QString>("problem");
    QTest::newRow("good") << QList<double>{0.1, 1, 10} << QString();
    QTest::newRow("negative ok") << QList<double>{-5, 0} << QString();
    QTest::newRow("empty") << QList<double>{} << u"at least one"_s;
    QTest::newRow("unsorted") << QList<double>{1, 10, 5} << u"strictly increasing"_s;
    QTest::newRow("repeated") << QList<double>{1, 1} << u"strictly increasing"_s;
    QTest::newRow("nan") << QList<double>{1, std::numeric_limits<double>::quiet_NaN()}
                         << u"not a finite number"_s;
    QTest::newRow("-inf") << QList<double>{-inf, 1} << u"not a finite number"_s;
}

void TestMetricNaming::bucketProblems()
{
    QFETCH(QList<double>, bounds);
    QFETCH(QString, problem);
    const QString actual = MetricNaming::bucketProblem(bounds);
    if (problem.isEmpty())
        QVERIFY2(actual.isEmpty(), qPrintable(actual));
    else
        QVERIFY2(actual.contains(problem), qPrintable(u"got: "_s + actual));
}

QTEST_APPLESS_MAIN(TestMetricNaming)

#include "metricnaming.moc"
