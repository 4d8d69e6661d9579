#include "core/db/database.h"
#include "core/db/kvstore.h"
#include "core/db/migrationrunner.h"
#include "testdatabase.h"
#include "vod/timingaverages.h"

#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

class TestTimingAverages final : public QObject
{
    Q_OBJECT

private slots:
    void firstSampleIsTheValue();
    void blendWeighsTheNewSampleByAFifth();
    void keysAreTheRunbooks();
    void recordedPerChannelAsIntegerText();
    void unreadableValueStartsAfresh();

private:
    // A migrated database for the slots that need one; nullptr (and the slot skipped or
    // failed) otherwise.
    std::unique_ptr<TestDatabase> database();
};

std::unique_ptr<TestDatabase> TestTimingAverages::database()
{
    auto testDb = std::make_unique<TestDatabase>();
    if (!testDb->isValid())
        return testDb;
    QString error;
    if (!MigrationRunner().run(testDb->database().connection(), &error))
        qFatal("migrations: %s", qPrintable(error));
    return testDb;
}

void TestTimingAverages::firstSampleIsTheValue()
{
    QCOMPARE(TimingAverages::blend(std::nullopt, 1234), 1234);
    QCOMPARE(TimingAverages::blend(std::nullopt, -5), 0);
}

void TestTimingAverages::blendWeighsTheNewSampleByAFifth()
{
    QCOMPARE(TimingAverages::blend(1000, 2000), 1200);
    QCOMPARE(TimingAverages::blend(1200, 2000), 1360);
    QCOMPARE(TimingAverages::blend(1360, 0), 1088);
    // Rounded to the nearest millisecond, as Go's %.0f prints it.
    QCOMPARE(TimingAverages::blend(10, 11), 10); // 10.2
    QCOMPARE(TimingAverages::blend(10, 12), 10); // 10.4
    QCOMPARE(TimingAverages::blend(10, 13), 11); // 10.6
    QCOMPARE(TimingAverages::blend(7, 0), 6);    // 5.6
}

void TestTimingAverages::keysAreTheRunbooks()
{
    QCOMPARE(TimingAverages::key(TimingAverages::Kind::Download), u"avg_download_ms"_s);
    QCOMPARE(TimingAverages::key(TimingAverages::Kind::Upload), u"avg_upload_ms"_s);
    QCOMPARE(TimingAverages::key(TimingAverages::Kind::Total), u"avg_total_ms"_s);
}

void TestTimingAverages::recordedPerChannelAsIntegerText()
{
    const std::unique_ptr<TestDatabase> testDb = database();
    PITWALL_REQUIRE_TEST_DATABASE(*testDb);
    const TimingAverages alice(testDb->database(), u"alice"_s);
    StoreError error;
    QCOMPARE(alice.record(TimingAverages::Kind::Download, 1000, &error), 1000);
    QCOMPARE(alice.record(TimingAverages::Kind::Download, 2000, &error), 1200);
    QCOMPARE(alice.record(TimingAverages::Kind::Total, 3000, &error), 3000);
    const KvStore kv(testDb->database().connection());
    QCOMPARE(kv.value(u"alice"_s, u"avg_download_ms"_s), u"1200"_s);
    QCOMPARE(kv.value(u"alice"_s, u"avg_total_ms"_s), u"3000"_s);
    const TimingAverages::Values values = *alice.read(&error);
    QCOMPARE(values.downloadMs, 1200);
    QCOMPARE(values.uploadMs, std::nullopt);
    QCOMPARE(values.totalMs, 3000);
    const TimingAverages bob(testDb->database(), u"bob"_s);
    QCOMPARE(bob.read(&error)->downloadMs, std::nullopt);
    QCOMPARE(bob.record(TimingAverages::Kind::Download, 10, &error), 10);
    QCOMPARE(alice.read(&error)->downloadMs, 1200);
}

void TestTimingAverages::unreadableValueStartsAfresh()
{
    const std::unique_ptr<TestDatabase> testDb = database();
    PITWALL_REQUIRE_TEST_DATABASE(*testDb);
    KvStore kv(testDb->database().connection());
    QVERIFY(kv.setValue(u"alice"_s, u"avg_upload_ms"_s, u"fast"_s));
    const TimingAverages alice(testDb->database(), u"alice"_s);
    StoreError error;
    QCOMPARE(alice.read(&error)->uploadMs, std::nullopt);
    QCOMPARE(alice.record(TimingAverages::Kind::Upload, 700, &error), 700);
}

QTEST_GUILESS_MAIN(TestTimingAverages)
#include "timingaverages.moc"
