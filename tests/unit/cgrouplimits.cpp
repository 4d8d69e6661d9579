#include "appliedlimits.h"
#include "cgrouplimits.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::JsonProblem)

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

CgroupLimits full()
{
    CgroupLimits limits;
    limits.cpuQuotaPercent = 200;
    limits.cpuWeight = 100;
    limits.memoryLimitMb = 4096;
    limits.memoryHighMb = 3072;
    return limits;
}

} // namespace

class CgroupLimitsTest final : public QObject
{
    Q_OBJECT

private slots:
    // A per-command override replaces exactly the fields it sets.
    void mergesFieldByField()
    {
        CgroupLimits override;
        override.cpuQuotaPercent = 300;
        const CgroupLimits merged = override.mergedOver(full());
        QCOMPARE(merged.cpuQuotaPercent, std::optional<int>(300));
        QCOMPARE(merged.cpuWeight, std::optional<int>(100));
        QCOMPARE(merged.memoryLimitMb, std::optional<qint64>(4096));
        QCOMPARE(merged.memoryHighMb, std::optional<qint64>(3072));
        QVERIFY(CgroupLimits{}.mergedOver(full()) == full());
        QVERIFY(full().mergedOver(CgroupLimits{}) == full());
        QVERIFY(CgroupLimits{}.mergedOver(CgroupLimits{}).isEmpty());
    }

    void validatesRanges_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("named");
        QTest::newRow("full") << QByteArray(R"({"cpu_quota":200,"cpu_weight":100,"memory_limit":4096,"memory_high":3072})") << true << QString();
        QTest::newRow("minimums") << QByteArray(R"({"cpu_quota":1,"cpu_weight":1,"memory_limit":1,"memory_high":1})") << true << QString();
        QTest::newRow("maximums") << QByteArray(R"({"cpu_quota":100000,"cpu_weight":10000,"memory_limit":1048576,"memory_high":1048576})") << true << QString();
        QTest::newRow("quota zero") << QByteArray(R"({"cpu_quota":0})") << false << u"cpu_quota"_s;
        QTest::newRow("quota above") << QByteArray(R"({"cpu_quota":100001})") << false << u"cpu_quota"_s;
        QTest::newRow("weight zero") << QByteArray(R"({"cpu_weight":0})") << false << u"cpu_weight"_s;
        QTest::newRow("weight above") << QByteArray(R"({"cpu_weight":10001})") << false << u"cpu_weight"_s;
        QTest::newRow("memory negative") << QByteArray(R"({"memory_limit":-1})") << false << u"memory_limit"_s;
        QTest::newRow("memory above 1 TiB") << QByteArray(R"({"memory_limit":1048577})") << false << u"memory_limit"_s;
        QTest::newRow("high above 1 TiB") << QByteArray(R"({"memory_high":2097152})") << false << u"memory_high"_s;
    }

    // Out-of-range values are refused by fromJson and by validate() alike, naming the key.
    void validatesRanges()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        QFETCH(QString, named);
        QString error;
        JsonProblem problem = JsonProblem::Malformed;
        const auto parsed = CgroupLimits::fromJson(object(json), &error, &problem);
        QCOMPARE(parsed.has_value(), valid);
        if (valid) {
            QVERIFY(parsed->validate(&error));
            return;
        }
        QCOMPARE(problem, JsonProblem::OutOfRange);
        QVERIFY2(error.contains(named), qPrintable(error));

        // The same value set directly in the struct (as the YAML loader does).
        CgroupLimits limits;
        const qint64 value = object(json).begin().value().toInteger();
        if (named == u"cpu_quota")
            limits.cpuQuotaPercent = int(value);
        else if (named == u"cpu_weight")
            limits.cpuWeight = int(value);
        else if (named == u"memory_limit")
            limits.memoryLimitMb = value;
        else
            limits.memoryHighMb = value;
        QString direct;
        QVERIFY(!limits.validate(&direct));
        QVERIFY2(direct.contains(named) && direct.contains(QString::number(value)), qPrintable(direct));
    }

    void refusesMalformedJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown key") << QByteArray(R"({"cpu_quota":200,"io_max":"8:0 rbps=1"})") << u"io_max"_s;
        QTest::newRow("string") << QByteArray(R"({"cpu_quota":"200"})") << u"cpu_quota"_s;
        QTest::newRow("fraction") << QByteArray(R"({"cpu_weight":1.5})") << u"cpu_weight"_s;
        QTest::newRow("bool") << QByteArray(R"({"memory_limit":true})") << u"memory_limit"_s;
        QTest::newRow("null") << QByteArray(R"({"memory_high":null})") << u"memory_high"_s;
        QTest::newRow("object") << QByteArray(R"({"cpu_quota":{"v":1}})") << u"cpu_quota"_s;
        QTest::newRow("path") << QByteArray(R"({"memory_limit":"/sys/fs/cgroup/x"})") << u"memory_limit"_s;
    }

    void refusesMalformedJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, named);
        QString error;
        JsonProblem problem = JsonProblem::OutOfRange;
        QVERIFY(!CgroupLimits::fromJson(object(json), &error, &problem));
        QCOMPARE(problem, JsonProblem::Malformed);
        QVERIFY2(error.contains(named), qPrintable(error));
    }

    void jsonRoundTrip()
    {
        const QJsonObject json = full().toJson();
        QCOMPARE(json, object(R"({"cpu_quota":200,"cpu_weight":100,"memory_limit":4096,"memory_high":3072})"));
        QCOMPARE(CgroupLimits::fromJson(json, nullptr), std::optional<CgroupLimits>(full()));
        // Unset fields stay absent, so a partial override stays partial.
        CgroupLimits partial;
        partial.cpuWeight = 150;
        QCOMPARE(partial.toJson(), object(R"({"cpu_weight":150})"));
        QCOMPARE(CgroupLimits::fromJson(QJsonObject(), nullptr), std::optional<CgroupLimits>(CgroupLimits{}));
    }

    void appliedLimitsJson()
    {
        AppliedLimits applied;
        applied.limits = full();
        applied.limits.memoryHighMb.reset();
        applied.paths = QStringList{u"/sys/fs/cgroup/cpu/pitwall/auto-ffmpeg-42"_s,
                                    u"/sys/fs/cgroup/memory/pitwall/auto-ffmpeg-42"_s};
        applied.unsupported = QStringList{u"memory_high"_s};
        const QJsonObject json = applied.toJson();
        QCOMPARE(json.value(u"applied"_s).toObject(), applied.limits.toJson());
        QCOMPARE(json.value(u"paths"_s).toArray().size(), 2);
        QCOMPARE(AppliedLimits::fromJson(json, nullptr), std::optional<AppliedLimits>(applied));

        AppliedLimits none;
        QVERIFY(!none.toJson().contains(u"unsupported"_s));
        QString error;
        QVERIFY(!AppliedLimits::fromJson(object(R"({"applied":{},"paths":[1]})"), &error));
        QVERIFY2(error.contains(u"paths"_s), qPrintable(error));
        QVERIFY(!AppliedLimits::fromJson(object(R"({"paths":[]})"), &error));
        QVERIFY2(error.contains(u"applied"_s), qPrintable(error));
    }
};

QTEST_APPLESS_MAIN(CgroupLimitsTest)
#include "cgrouplimits.moc"
