#include "core/log/logentry.h"
#include "core/log/loglevel.h"

#include <QTimeZone>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

class TestLogLevel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseLevel_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("level");
        QTest::newRow("trace") << u"trace"_s << int(LogLevel::Trace);
        QTest::newRow("DEBUG") << u"DEBUG"_s << int(LogLevel::Debug);
        QTest::newRow("Info") << u"Info"_s << int(LogLevel::Info);
        QTest::newRow("warn") << u"warn"_s << int(LogLevel::Warn);
        QTest::newRow("warning") << u"Warning"_s << int(LogLevel::Warn);
        QTest::newRow("error") << u"error"_s << int(LogLevel::Error);
        QTest::newRow("blanks") << u"  info\n"_s << int(LogLevel::Info);
    }

    void parseLevel()
    {
        QFETCH(QString, text);
        QFETCH(int, level);
        const std::optional<LogLevel> parsed = parseLogLevel(text);
        QVERIFY(parsed.has_value());
        QCOMPARE(int(*parsed), level);
    }

    void rejectsUnknownLevels()
    {
        for (const QString &bad : {u""_s, u"verbose"_s, u"inf"_s, u"errors"_s, u"fatal"_s, u"3"_s})
            QVERIFY2(!parseLogLevel(bad).has_value(), qPrintable(bad));
    }

    void levelNamesRoundTrip()
    {
        const QStringList expected = {u"trace"_s, u"debug"_s, u"info"_s, u"warn"_s, u"error"_s};
        for (int i = 0; i < expected.size(); ++i) {
            const auto level = static_cast<LogLevel>(i);
            QCOMPARE(logLevelName(level), expected.at(i));
            QCOMPARE(parseLogLevel(logLevelName(level)), std::optional<LogLevel>(level));
        }
    }

    void parseFormat()
    {
        QCOMPARE(parseLogFormat(u"text"), std::optional<LogFormat>(LogFormat::Text));
        QCOMPARE(parseLogFormat(u"JSON"), std::optional<LogFormat>(LogFormat::Json));
        QCOMPARE(parseLogFormat(u" Json "), std::optional<LogFormat>(LogFormat::Json));
        QVERIFY(!parseLogFormat(u"yaml").has_value());
        QVERIFY(!parseLogFormat(u"").has_value());
        QCOMPARE(logFormatName(LogFormat::Text), u"text"_s);
        QCOMPARE(logFormatName(LogFormat::Json), u"json"_s);
    }

    void entryJsonShape()
    {
        LogEntry entry;
        entry.id = 42;
        entry.timestamp = QDateTime(QDate(2026, 11, 22), QTime(2, 20, 0, 123), Qt::UTC);
        entry.level = LogLevel::Warn;
        entry.component = u"http"_s;
        entry.message = u"slow request"_s;
        entry.correlationId = u"abc-1"_s;
        entry.fields = {{u"dl_ms"_s, 1234}, {u"path"_s, u"/status"_s}};

        const QJsonObject json = entry.toJson();
        QCOMPARE(json.keys(), (QStringList{u"component"_s, u"corr"_s, u"dl_ms"_s, u"id"_s,
                                           u"level"_s, u"msg"_s, u"path"_s, u"ts"_s}));
        QCOMPARE(json.value(u"id"_s).toInteger(), 42);
        QCOMPARE(json.value(u"ts"_s).toString(), u"2026-11-22T02:20:00.123Z"_s);
        QCOMPARE(json.value(u"level"_s).toString(), u"warn"_s);
        QCOMPARE(json.value(u"component"_s).toString(), u"http"_s);
        QCOMPARE(json.value(u"msg"_s).toString(), u"slow request"_s);
        QCOMPARE(json.value(u"corr"_s).toString(), u"abc-1"_s);
        QCOMPARE(json.value(u"dl_ms"_s).toInt(), 1234);
        QCOMPARE(json.value(u"path"_s).toString(), u"/status"_s);
    }

    void entryJsonTimestampIsUtc()
    {
        LogEntry entry;
        entry.timestamp = QDateTime(QDate(2026, 11, 22), QTime(3, 20, 0, 5), QTimeZone(3600));
        QCOMPARE(entry.toJson().value(u"ts"_s).toString(), u"2026-11-22T02:20:00.005Z"_s);
    }

    void entryJsonOmitsEmptyCorrAndKeepsFixedKeys()
    {
        LogEntry entry;
        entry.timestamp = QDateTime::currentDateTimeUtc();
        entry.message = u"real"_s;
        entry.fields = {{u"msg"_s, u"forged"_s}, {u"corr"_s, u"forged"_s}, {u"n"_s, 1}};
        const QJsonObject json = entry.toJson();
        QVERIFY(!json.contains(u"corr"_s));
        QCOMPARE(json.value(u"msg"_s).toString(), u"real"_s);
        QCOMPARE(json.value(u"n"_s).toInt(), 1);
    }
};

QTEST_APPLESS_MAIN(TestLogLevel)
#include "loglevel.moc"
