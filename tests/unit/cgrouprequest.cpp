#include "helperrequest.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::HelperStatus)

namespace {

const QByteArray validApply =
    R"({"verb":"apply","pid":123,"start_time":456789,"limits":{"cpu_quota":200,"cpu_weight":100,"memory_limit":4096,"memory_high":3072}})";

} // namespace

class CgroupRequestTest final : public QObject
{
    Q_OBJECT

private slots:
    void parsesApply()
    {
        QString error;
        HelperStatus status = HelperStatus::Ok;
        const auto request = HelperRequest::parse(validApply + '\n', &error, &status);
        QVERIFY2(request, qPrintable(error));
        QCOMPARE(request->verb, HelperRequest::Verb::Apply);
        QCOMPARE(request->pid, 123);
        QCOMPARE(request->startTime, quint64(456789));
        QCOMPARE(request->limits.cpuQuotaPercent, std::optional<int>(200));
        QCOMPARE(request->limits.cpuWeight, std::optional<int>(100));
        QCOMPARE(request->limits.memoryLimitMb, std::optional<qint64>(4096));
        QCOMPARE(request->limits.memoryHighMb, std::optional<qint64>(3072));
        QCOMPARE(request->toJson(), QJsonDocument::fromJson(validApply).object());
    }

    void parsesClear()
    {
        QString error;
        const auto request = HelperRequest::parse(R"( {"verb":"clear","pid":4194304,"start_time":0} )",
                                                  &error, nullptr);
        QVERIFY2(request, qPrintable(error));
        QCOMPARE(request->verb, HelperRequest::Verb::Clear);
        QCOMPARE(request->pid, 4194304);
        QCOMPARE(request->startTime, quint64(0));
        QVERIFY(request->limits.isEmpty());
        const auto again = HelperRequest::parse(QJsonDocument(request->toJson()).toJson(), &error, nullptr);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->toJson(), request->toJson());
    }

    void acceptsPartialLimits()
    {
        const auto request = HelperRequest::parse(
            R"({"verb":"apply","pid":7,"start_time":1,"limits":{"memory_high":512}})", nullptr, nullptr);
        QVERIFY(request);
        QVERIFY(!request->limits.cpuQuotaPercent && !request->limits.memoryLimitMb);
        QCOMPARE(request->limits.memoryHighMb, std::optional<qint64>(512));
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<HelperStatus>("status");
        QTest::addColumn<QString>("mentions");
        const auto row = [](const char *name, const QByteArray &input, HelperStatus status, const QString &mentions) {
            QTest::newRow(name) << input << status << mentions;
        };
        const HelperStatus malformed = HelperStatus::Malformed;
        const HelperStatus refused = HelperStatus::Refused;

        // Not a JSON object at all.
        row("empty", "", malformed, u"not valid JSON"_s);
        row("truncated", R"({"verb":"apply","pid":1)", malformed, u"not valid JSON"_s);
        row("trailing garbage", R"({"verb":"clear","pid":1,"start_time":1} {})", malformed, u"not valid JSON"_s);
        row("array", R"([{"verb":"clear","pid":1,"start_time":1}])", malformed, u"JSON object"_s);
        row("string", R"("apply")", malformed, u"not valid JSON"_s);
        row("number", "42", malformed, u"not valid JSON"_s);
        row("null", "null", malformed, u"not valid JSON"_s);
        row("binary", QByteArray("\x00\xff\xfe{", 4), malformed, u"not valid JSON"_s);

        // Oversized, even when the JSON inside is fine.
        row("oversized", QByteArray(HelperRequest::MaxBytes, ' ') + R"({"verb":"clear","pid":1,"start_time":1})", malformed, u"4096"_s);
        row("oversized limits", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"cpu_quota":1)" + QByteArray(5000, '0') + "}}", malformed, u"4096"_s);

        // Missing fields.
        row("no verb", R"({"pid":1,"start_time":1})", malformed, u"verb"_s);
        row("no pid", R"({"verb":"clear","start_time":1})", malformed, u"pid"_s);
        row("no start_time", R"({"verb":"clear","pid":1})", malformed, u"start_time"_s);
        row("no limits", R"({"verb":"apply","pid":1,"start_time":1})", malformed, u"limits"_s);
        row("empty limits", R"({"verb":"apply","pid":1,"start_time":1,"limits":{}})", malformed, u"at least one"_s);

        // Unknown keys, at either level, and keys of the other verb.
        row("unknown key", R"({"verb":"clear","pid":1,"start_time":1,"force":true})", malformed, u"force"_s);
        row("unknown limit", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"io_max":1}})", malformed, u"io_max"_s);
        row("limits on clear", R"({"verb":"clear","pid":1,"start_time":1,"limits":{"cpu_quota":1}})", malformed, u"limits"_s);
        row("unknown verb", R"({"verb":"kill","pid":1,"start_time":1})", malformed, u"kill"_s);
        row("verb case", R"({"verb":"APPLY","pid":1,"start_time":1,"limits":{"cpu_quota":1}})", malformed, u"APPLY"_s);

        // Wrong types.
        row("verb number", R"({"verb":1,"pid":1,"start_time":1})", malformed, u"verb"_s);
        row("pid string", R"({"verb":"clear","pid":"1","start_time":1})", malformed, u"pid"_s);
        row("pid fraction", R"({"verb":"clear","pid":1.5,"start_time":1})", malformed, u"pid"_s);
        row("pid bool", R"({"verb":"clear","pid":true,"start_time":1})", malformed, u"pid"_s);
        row("pid null", R"({"verb":"clear","pid":null,"start_time":1})", malformed, u"pid"_s);
        row("start_time array", R"({"verb":"clear","pid":1,"start_time":[1]})", malformed, u"start_time"_s);
        row("limits array", R"({"verb":"apply","pid":1,"start_time":1,"limits":[200]})", malformed, u"limits"_s);
        row("quota string", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"cpu_quota":"200"}})", malformed, u"cpu_quota"_s);

        // Well-formed numbers out of range: refused, not malformed.
        row("pid zero", R"({"verb":"clear","pid":0,"start_time":1})", refused, u"pid"_s);
        row("pid negative", R"({"verb":"clear","pid":-1,"start_time":1})", refused, u"pid"_s);
        row("pid huge", R"({"verb":"clear","pid":4194305,"start_time":1})", refused, u"pid"_s);
        row("pid exponent", R"({"verb":"clear","pid":1e300,"start_time":1})", refused, u"pid"_s);
        row("start_time negative", R"({"verb":"clear","pid":1,"start_time":-5})", refused, u"start_time"_s);
        row("start_time beyond 2^53", R"({"verb":"clear","pid":1,"start_time":9007199254740993})", refused, u"start_time"_s);
        row("quota zero", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"cpu_quota":0}})", refused, u"cpu_quota"_s);
        row("weight huge", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"cpu_weight":10001}})", refused, u"cpu_weight"_s);
        row("memory negative", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"memory_limit":-4096}})", refused, u"memory_limit"_s);
        row("memory 2 TiB", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"memory_high":2097152}})", refused, u"memory_high"_s);

        // Path-like strings wherever a string can go: they are never taken as paths.
        row("path verb", R"({"verb":"../../sys/fs/cgroup/cgroup.procs","pid":1,"start_time":1})", malformed, u"unknown verb"_s);
        row("path key", R"({"verb":"clear","pid":1,"start_time":1,"path":"/sys/fs/cgroup/cpu"})", malformed, u"path"_s);
        row("traversal key", R"({"verb":"clear","pid":1,"start_time":1,"../cgroup.procs":1})", malformed, u"../cgroup.procs"_s);
        row("path pid", R"({"verb":"clear","pid":"../../1","start_time":1})", malformed, u"pid"_s);
        row("path start_time", R"({"verb":"clear","pid":1,"start_time":"/proc/1/stat"})", malformed, u"start_time"_s);
        row("path limit", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"cpu_quota":"/etc/passwd"}})", malformed, u"cpu_quota"_s);
        row("path limit key", R"({"verb":"apply","pid":1,"start_time":1,"limits":{"../../release_agent":1}})", malformed, u"release_agent"_s);
        row("job id key", R"({"verb":"apply","pid":1,"start_time":1,"job_id":"auto-ffmpeg-1/../..","limits":{"cpu_quota":1}})", malformed, u"job_id"_s);
    }

    void refuses()
    {
        QFETCH(QByteArray, input);
        QFETCH(HelperStatus, status);
        QFETCH(QString, mentions);
        QString error;
        HelperStatus got = HelperStatus::Ok;
        QVERIFY(!HelperRequest::parse(input, &error, &got));
        QCOMPARE(got, status);
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    // An echoed key cannot blow up the one-line answer.
    void shortensEchoedNames()
    {
        const QByteArray key(300, 'k');
        QString error;
        QVERIFY(!HelperRequest::parse(R"({"verb":"clear","pid":1,"start_time":1,")" + key + R"(":1})", &error, nullptr));
        QVERIFY2(error.size() < 120, qPrintable(error));
    }

    void exactlyMaxBytesIsAccepted()
    {
        const QByteArray json = R"({"verb":"clear","pid":1,"start_time":1})";
        const QByteArray padded = json + QByteArray(HelperRequest::MaxBytes - json.size(), ' ');
        QCOMPARE(padded.size(), HelperRequest::MaxBytes);
        QVERIFY(HelperRequest::parse(padded, nullptr, nullptr));
    }
};

QTEST_APPLESS_MAIN(CgroupRequestTest)
#include "cgrouprequest.moc"
